/**
 * Host ports that running containers already publish, checked in the browser from the
 * live container list so the field says it before Create (the runtime checks again).
 */
import type { ContainerSummary } from "../../../../runtime/protocol";
import type { FieldError, RunSpec } from "../../../../runtime/run-spec";

const allInterfaces = (ip: string | undefined) => !ip || ip === "0.0.0.0" || ip === "::";

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
