/**
 * The checks the runtime makes against the engine, made in the browser too (from the
 * networks list and the live container list) so the field says it before Create.
 */
import type { CreateOptions } from "~/runtime/containers/create-types";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { type FieldError, ipInSubnet, type RunSpec } from "~/runtime/run-spec/index";

/** The IP check the engine would make, done here too so the field says it before Create. */
export function subnetError(spec: RunSpec, networks: CreateOptions["networks"]): { field: string; message: string } | undefined {
  const net = networks.find((n) => n.name === spec.network);
  if (!net) return undefined;
  for (const key of ["ip", "ip6"] as const) {
    const ip = spec[key];
    const family = net.subnets.filter((s) => s.includes(":") === (key === "ip6"));
    if (typeof ip === "string" && ip && family.length && !family.some((s) => ipInSubnet(ip, s)))
      return { field: key, message: `${key}: ${ip} is outside network ${net.name}'s subnet ${family.join(", ")}` };
  }
  return undefined;
}

const allInterfaces = (ip: string | undefined) => !ip || ip === "0.0.0.0" || ip === "::";

/** Host ports that running containers already publish: the start would fail with "port is already allocated". */
export function heldPortErrors(spec: RunSpec, containers: ContainerSummary[]): FieldError[] {
  const errors: FieldError[] = [];
  (spec.ports ?? []).forEach((p, i) => {
    if (typeof p?.hostPort !== "number" || p.hostPort === 0 || typeof p.containerPort !== "number") return;
    const count = (typeof p.containerPortEnd === "number" ? p.containerPortEnd : p.containerPort) - p.containerPort + 1;
    // One container port with a host range: the engine picks a free one of the range.
    if (count === 1 && p.hostPortEnd !== undefined && p.hostPortEnd !== p.hostPort) return;
    const proto = p.protocol ?? "tcp";
    for (let k = 0; k < Math.max(1, count); k++) {
      const port = p.hostPort + k;
      const holder = containers.find(
        (c) => c.state === "running" && c.ports.some((b) => b.publicPort === port && b.type === proto && (allInterfaces(b.ip) || allInterfaces(p.hostIp) || b.ip === p.hostIp)),
      );
      if (holder) {
        const field = `ports[${i}].hostPort`;
        errors.push({ field, message: `${field}: host port ${port}/${proto} is already allocated by container ${holder.name}` });
        return;
      }
    }
  });
  return errors;
}
