/**
 * Checks that span services, each error at the key that causes it: depends_on an
 * unknown service or in a cycle, container_name with more than one replica, two
 * containers publishing one host port, a static address outside its network's
 * subnet (or on a network without one).
 */
import { containerNamePattern } from "../protocol/ids";
import { ipInSubnet } from "../run-spec/ip";
import { fail, type ConvertContext } from "./convert-context";
import type { ComposeService } from "./model";
import { childPath } from "./yaml-source";

const svcPath = (s: ComposeService) => childPath("services", s.name);

export function dependencyErrors(ctx: ConvertContext, services: ComposeService[], all: Set<string>, disabled: Set<string>): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const s of services) {
    for (const d of s.dependsOn) {
      if (byName.has(d.service)) continue;
      // The map form's key, or the list itself (its items have no key to point at).
      const child = childPath(childPath(svcPath(s), "depends_on"), d.service);
      const p = ctx.locs.has(child) ? child : childPath(svcPath(s), "depends_on");
      if (disabled.has(d.service)) {
        if (d.required !== false) fail(ctx, "value", p, `"${d.service}" is in a profile that is not enabled`);
      } else if (!all.has(d.service)) fail(ctx, "value", p, `depends on "${d.service}", which is not a service of this file`);
    }
  }
  // Depth-first search; a node met again while on the path closes a cycle.
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (name: string): boolean => {
    if (state.get(name) === "done") return false;
    if (state.get(name) === "open") {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const first = byName.get(name) as ComposeService;
      fail(ctx, "value", childPath(svcPath(first), "depends_on"), `dependency cycle: ${cycle.join(" → ")}`);
      return true;
    }
    state.set(name, "open");
    stack.push(name);
    for (const d of byName.get(name)?.dependsOn ?? []) if (byName.has(d.service) && visit(d.service)) return true;
    stack.pop();
    state.set(name, "done");
    return false;
  };
  for (const s of services) if (visit(s.name)) break;
}

export function replicaErrors(ctx: ConvertContext, services: ComposeService[]): void {
  const names = new Map<string, string>();
  for (const s of services) {
    if (s.containerName === undefined) continue;
    const p = childPath(svcPath(s), "container_name");
    if (s.replicas > 1) fail(ctx, "value", p, `a container name can be used by one replica only, and ${s.replicas} are asked`);
    else if (!containerNamePattern.test(s.containerName))
      fail(ctx, "value", p, "Docker refuses this name: use at least two characters from [a-zA-Z0-9_.-], starting with a letter or digit");
    else if (names.has(s.containerName)) fail(ctx, "value", p, `the service "${names.get(s.containerName)}" already uses the container name "${s.containerName}"`);
    names.set(s.containerName, s.name);
  }
}

const anyIp = (ip: string | undefined) => ip === undefined || ip === "" || ip === "0.0.0.0" || ip === "::";

export function hostPortErrors(ctx: ConvertContext, services: ComposeService[], origins: Map<string, Map<string, string>>): void {
  const seen = new Map<string, { service: string; ip?: string }[]>();
  for (const s of services) {
    (s.spec.ports ?? []).forEach((p, i) => {
      if (!p.hostPort) return;
      const where = origins.get(s.name)?.get(`ports[${i}]`) ?? childPath(svcPath(s), "ports");
      if (s.replicas > 1) {
        fail(ctx, "value", where, `host port ${p.hostPort} can be published by one replica only, and ${s.replicas} are asked`);
        return;
      }
      const end = Math.min(p.hostPortEnd ?? p.hostPort, p.hostPort + 65535);
      for (let port = p.hostPort; port <= end; port++) {
        const key = `${p.protocol ?? "tcp"}/${port}`;
        const users = seen.get(key) ?? [];
        const clash = users.find((u) => anyIp(u.ip) || anyIp(p.hostIp) || u.ip === p.hostIp);
        if (clash) {
          fail(ctx, "value", where, `host port ${port}${p.protocol && p.protocol !== "tcp" ? `/${p.protocol}` : ""} is already published by the service "${clash.service}"`);
          return;
        }
        users.push({ service: s.name, ip: p.hostIp });
        seen.set(key, users);
      }
    });
  }
}

export function addressErrors(ctx: ConvertContext, services: ComposeService[]): void {
  for (const s of services) {
    for (const n of s.networks) {
      const net = Object.hasOwn(ctx.networks, n.key) ? ctx.networks[n.key] : undefined;
      for (const [field, ip] of [["ipv4_address", n.ipv4Address], ["ipv6_address", n.ipv6Address]] as const) {
        if (ip === undefined || !net) continue;
        const p = childPath(childPath(childPath(svcPath(s), "networks"), n.key), field);
        if (s.replicas > 1) {
          fail(ctx, "value", p, `a static address can be used by one replica only, and ${s.replicas} are asked`);
          continue;
        }
        if (net.external) continue;
        const subnets = (net.ipam?.config ?? []).map((c) => c.subnet).filter((x): x is string => x !== undefined);
        if (subnets.length === 0) {
          fail(ctx, "value", p, `the network "${n.key}" has no subnet: give one in networks.${n.key}.ipam.config to use a static address`);
          continue;
        }
        let inside = false;
        try {
          inside = subnets.some((sub) => ipInSubnet(ip, sub));
        } catch {
          inside = false;
        }
        if (!inside) fail(ctx, "value", p, `${ip} is outside the subnet of the network "${n.key}" (${subnets.join(", ")})`);
      }
    }
  }
}
