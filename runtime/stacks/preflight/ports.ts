/**
 * Host ports free: each fixed host port the deploy would publish is either
 * taken by a container of this engine (named from the container list's Ports),
 * or by another process on the host (a bind from the runtime process fails), or free.
 *
 * The bind probe is meaningful because the runtime runs on the engine's host:
 * beside a local engine now, and later as the agent on each host. The engine's
 * docker-proxy processes also hold published ports, so the container list is
 * asked first: a port it shows is named by its container, never "another process".
 * A container of the same stack holding its own port does not count: the deploy recreates it.
 * When DOCKER_HOST points to another host (facts.ts engineIsLocal), no probe is made and the check says so.
 */
import dgram from "node:dgram";
import net from "node:net";
import type Docker from "dockerode";
import type { PreflightCheck } from "../protocol";
import { containerName, type EngineFacts, notChecked, PROJECT_LABEL, within } from "./facts";
import { addressesClash, clashesWithin, collectPorts, MAX_CHECKED_PORTS, type Plan, portLabel, type PublishedPort } from "./plan";

/** A range `-p 8000-8100:80` is probed up to this many ports to find one free. */
const MAX_RANGE_PROBES = 100;
const PROBE_DEADLINE_MS = 2_000;

type Probe = { free: true } | { free: false; code: string };

/** Binds the port exclusively and closes it at once. */
export function probePort(hostIp: string, port: number, protocol: "tcp" | "udp"): Promise<Probe> {
  const wildcard = hostIp === "" || hostIp === "0.0.0.0" || hostIp === "::" || hostIp === "[::]";
  const address = hostIp.replace(/^\[(.*)\]$/, "$1");
  const work = new Promise<Probe>((resolve) => {
    if (protocol === "tcp") {
      const server = net.createServer();
      server.once("error", (err: NodeJS.ErrnoException) => resolve({ free: false, code: err.code ?? err.message }));
      // No host on a wildcard: Node binds `::` dual-stack, so a process on any address of the port is seen.
      server.listen({ host: wildcard ? undefined : address, port, exclusive: true }, () => server.close(() => resolve({ free: true })));
      server.unref();
    } else {
      const socket = dgram.createSocket({ type: address.includes(":") ? "udp6" : "udp4", reuseAddr: false });
      socket.once("error", (err: NodeJS.ErrnoException) => {
        socket.close();
        resolve({ free: false, code: err.code ?? err.message });
      });
      socket.bind({ address: wildcard ? "0.0.0.0" : address, port, exclusive: true }, () => socket.close(() => resolve({ free: true })));
      socket.unref();
    }
  });
  return within(PROBE_DEADLINE_MS, `binding port ${port}`, work).catch((err: Error) => ({ free: false, code: err.message }));
}

interface Holder {
  container: Docker.ContainerInfo;
  sameStack: boolean;
}

function holdersOf(containers: Docker.ContainerInfo[], p: PublishedPort, n: number, stack?: string): Holder[] {
  return containers
    .filter((c) => (c.Ports ?? []).some((b) => b.PublicPort === n && (b.Type ?? "tcp") === p.protocol && addressesClash(b.IP ?? "", p.hostIp)))
    .map((container) => ({ container, sameStack: stack !== undefined && container.Labels?.[PROJECT_LABEL] === stack }));
}

async function checkOne(p: PublishedPort, containers: Docker.ContainerInfo[], stack: string | undefined, probe: boolean): Promise<PreflightCheck> {
  const label = portLabel(p);
  const id = `port:${label}`;
  const title = `Host port ${label} is free`;
  const by = `(published by ${p.container})`;
  const end = p.hostPortEnd ?? p.hostPort;
  const tried: string[] = [];
  for (let n = p.hostPort; n <= end && n < p.hostPort + MAX_RANGE_PROBES; n++) {
    const holders = holdersOf(containers, p, n, stack);
    const other = holders.find((h) => !h.sameStack);
    if (other) {
      const name = containerName(other.container);
      tried.push(`${n} by container ${name}`);
      if (p.hostPortEnd === undefined) {
        return { id, title, status: "fail", message: `port ${n} is taken by container ${name} ${by}`, fix: `choose another host port, or stop ${name}` };
      }
      continue;
    }
    if (holders.length) {
      const name = containerName(holders[0]!.container);
      return { id, title, status: "pass", message: `held by ${name} of this stack, which the deploy recreates` };
    }
    if (p.protocol === "sctp") return { id, title, status: "pass", message: "no container publishes it (an SCTP port is not probed on the host)" };
    if (!probe) return { id, title, status: "pass", message: "no container publishes it (other processes were not checked: the engine is not on the runtime's host)" };
    const bound = await probePort(p.hostIp, n, p.protocol);
    if (bound.free) return { id, title, status: "pass", message: p.hostPortEnd === undefined ? "free" : `port ${n} of the range is free` };
    if (bound.code === "EADDRINUSE") {
      tried.push(`${n} by another process`);
      if (p.hostPortEnd === undefined) {
        return { id, title, status: "fail", message: `port ${n} is taken by another process on the host (not a container) ${by}`, fix: "choose another host port, or stop the process that listens on it" };
      }
      continue;
    }
    if (bound.code === "EADDRNOTAVAIL") {
      return { id, title, status: "warn", message: `${p.hostIp} is not an address of the host the runtime runs on, so the engine cannot publish on it either`, fix: "publish on an address of the host, or on every address" };
    }
    if (bound.code === "EACCES") {
      return { id, title, status: "pass", message: `no container publishes it; the runtime may not bind ports below 1024 itself to probe further (the engine can)` };
    }
    return { id, title, status: "warn", message: `could not be probed: ${bound.code}` };
  }
  return { id, title, status: "fail", message: `no port of the range is free: ${tried.join(", ")} ${by}`, fix: "choose another host port range, or stop what holds it" };
}

/** `probe`: the engine runs on this host, so a bind here tells whether another process holds the port. */
export async function portChecks(plan: Plan, facts: EngineFacts, probe = true): Promise<PreflightCheck[]> {
  const ports = collectPorts(plan);
  if (!ports.length) return [{ id: "ports", title: "Host ports are free", status: "pass", message: "no fixed host port is published (random ports are always free)" }];
  const out: PreflightCheck[] = clashesWithin(ports).map(({ port, other }) => ({
    id: `port:${portLabel(port)}:twice`,
    title: `Host port ${portLabel(port)} is published once`,
    status: "fail",
    message:
      port.container === other.container
        ? `${port.container} publishes host port ${port.hostPort} twice`
        : `both ${other.container} and ${port.container} publish host port ${port.hostPort}: the second cannot start`,
    fix: "give each container its own host port (a service with several replicas cannot publish a fixed host port)",
  }));
  let containers: Docker.ContainerInfo[];
  try {
    containers = await facts.containers();
  } catch (err) {
    return [...out, notChecked("ports", "Host ports are free", err)];
  }
  const seen = new Set<string>();
  const unique = ports.filter((p) => {
    const key = portLabel(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // One after another: two probes of one port at once would each see the other as "another process".
  const checked: PreflightCheck[] = [];
  for (const p of unique.slice(0, MAX_CHECKED_PORTS)) checked.push(await checkOne(p, containers, plan.stack, probe));
  if (unique.length > MAX_CHECKED_PORTS) {
    checked.push({ id: "ports:more", title: "Host ports are free", status: "warn", message: `${unique.length - MAX_CHECKED_PORTS} more published ports were not checked` });
  }
  return [...out, ...checked];
}
