/**
 * What a deploy would create, in the terms the preflight checks: the containers
 * (name, image, RunSpec), the host ports they publish, the networks with their
 * subnets and the static addresses. Pure: built from a loaded compose project
 * or from one RunSpec (a container template or the create form), so the rules
 * are unit-tested without an engine.
 */
import type { ComposeProject } from "../../compose/model";
import type { PortSpec, RunSpec } from "../../run-spec/schema";

export interface PlannedContainer {
  /** The container's name as the deploy creates it. */
  name: string;
  /** The compose service (stacks), for messages. */
  service?: string;
  spec: RunSpec;
  /** Built from the stack folder at deploy: no image to find. */
  build: boolean;
  /** `pull_policy: never`: the image must already be on the engine. */
  neverPull?: boolean;
  /** On the host's network: Docker discards its published ports (the process binds them itself). */
  hostNetwork?: boolean;
}

export interface PlannedNetwork {
  /** The engine's name. */
  name: string;
  subnets: string[];
  external: boolean;
}

export interface StaticAddress {
  /** The engine's network name. */
  network: string;
  ip: string;
  container: string;
}

export interface Plan {
  /** The compose project (stacks): its own containers and networks are recreated, not conflicts. */
  stack?: string;
  containers: PlannedContainer[];
  networks: PlannedNetwork[];
  staticAddresses: StaticAddress[];
}

/** Compose's container name for replica `n` of a service (Berth's deploy names them so). */
export const replicaName = (project: string, service: string, n: number) => `${project}-${service}-${n}`;

export function planFromProject(project: ComposeProject): Plan {
  const containers: PlannedContainer[] = [];
  const staticAddresses: StaticAddress[] = [];
  for (const s of project.services) {
    const count = s.containerName ? 1 : Math.max(0, s.replicas);
    for (let n = 1; n <= count; n++) {
      const name = s.containerName ?? replicaName(project.name, s.name, n);
      containers.push({ name, service: s.name, spec: s.spec, build: Boolean(s.build) || s.pullPolicy === "build", neverPull: s.pullPolicy === "never", hostNetwork: s.networkMode === "host" });
      for (const net of s.networks) {
        if (!net.ipv4Address) continue;
        staticAddresses.push({ network: project.networks[net.key]?.name ?? net.key, ip: net.ipv4Address, container: name });
      }
    }
  }
  const networks = Object.values(project.networks).map((n) => ({
    name: n.name,
    external: n.external,
    subnets: (n.ipam?.config ?? []).flatMap((c) => (c.subnet ? [c.subnet] : [])),
  }));
  return { stack: project.name, containers, networks, staticAddresses };
}

const BUILT_IN_NETWORKS = new Set(["bridge", "host", "none", "default"]);

export function planFromSpec(spec: RunSpec): Plan {
  const name = spec.name ?? "";
  const staticAddresses: StaticAddress[] = [];
  if (spec.ip && spec.network && !BUILT_IN_NETWORKS.has(spec.network) && !spec.network.startsWith("container:")) {
    staticAddresses.push({ network: spec.network, ip: spec.ip, container: name || "the new container" });
  }
  return { containers: [{ name, spec, build: false, hostNetwork: spec.network === "host" }], networks: [], staticAddresses };
}

export type PortProtocol = "tcp" | "udp" | "sctp";

/** One host port a container would publish. */
export interface PublishedPort {
  /** As written; "" when absent (every address, as Docker binds it). */
  hostIp: string;
  hostPort: number;
  /** A host range for one container port: Docker takes any free port of hostPort..hostPortEnd. */
  hostPortEnd?: number;
  protocol: PortProtocol;
  container: string;
}

/** More than this many published ports in one deploy: the rest are not probed one by one. */
export const MAX_CHECKED_PORTS = 256;

/**
 * The fixed host ports of one port mapping. `-p 8080:80` is one; `-p 8080-8081:80-81`
 * pairs each; `-p 8080-8090:80` is one choice among a range. Port 0 or none: random, not listed.
 */
export function portsOf(p: PortSpec, container: string): PublishedPort[] {
  if (!p.hostPort) return [];
  const protocol = p.protocol ?? "tcp";
  const hostIp = p.hostIp ?? "";
  const containerCount = (p.containerPortEnd ?? p.containerPort) - p.containerPort + 1;
  const hostEnd = p.hostPortEnd ?? p.hostPort;
  if (hostEnd > p.hostPort && containerCount === 1) return [{ hostIp, hostPort: p.hostPort, hostPortEnd: hostEnd, protocol, container }];
  const count = Math.max(1, Math.min(hostEnd - p.hostPort + 1, containerCount));
  return Array.from({ length: count }, (_, i) => ({ hostIp, hostPort: p.hostPort! + i, protocol, container }));
}

/** Every fixed host port of the plan, in order. */
export function collectPorts(plan: Plan): PublishedPort[] {
  return plan.containers.flatMap((c) => (c.hostNetwork ? [] : (c.spec.ports ?? []).flatMap((p) => portsOf(p, c.name || "the new container"))));
}

const WILDCARDS = new Set(["", "0.0.0.0", "::", "[::]"]);

/** Whether two bindings of one port collide: the same address, or either on every address. */
export function addressesClash(a: string, b: string): boolean {
  return WILDCARDS.has(a) || WILDCARDS.has(b) || a.replace(/^\[(.*)\]$/, "$1") === b.replace(/^\[(.*)\]$/, "$1");
}

/** Whether a binding of `port` covers the single host port `n`. */
const covers = (port: PublishedPort, n: number) => n >= port.hostPort && n <= (port.hostPortEnd ?? port.hostPort);

/**
 * Two mappings of the plan that would bind the same fixed host port (two
 * services, or two replicas of one service, on 8080): the second cannot start.
 */
export function clashesWithin(ports: PublishedPort[]): { port: PublishedPort; other: PublishedPort }[] {
  const out: { port: PublishedPort; other: PublishedPort }[] = [];
  ports.forEach((p, i) => {
    if (p.hostPortEnd !== undefined) return;
    const other = ports.slice(0, i).find((q) => q.hostPortEnd === undefined && q.protocol === p.protocol && covers(q, p.hostPort) && addressesClash(q.hostIp, p.hostIp));
    if (other) out.push({ port: p, other });
  });
  return out;
}

/** `127.0.0.1:8080/tcp`, or `8080/tcp` on every address. */
export function portLabel(p: { hostIp: string; hostPort: number; hostPortEnd?: number; protocol: string }): string {
  const range = p.hostPortEnd !== undefined ? `${p.hostPort}-${p.hostPortEnd}` : String(p.hostPort);
  const ip = WILDCARDS.has(p.hostIp) ? "" : p.hostIp.includes(":") && !p.hostIp.startsWith("[") ? `[${p.hostIp}]:` : `${p.hostIp}:`;
  return `${ip}${range}/${p.protocol}`;
}
