/**
 * Docker's answers to a create, and the OCI runtime's to the start after it,
 * pointed at the form field whose value caused them. The engine checks some
 * values at create (a 400 without a field) and leaves others to runc, which
 * refuses them only at start (a 500): both are the request's fault, so both
 * become a 400 naming the field.
 */
import type Docker from "dockerode";
import { toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import type { RunSpec } from "../run-spec/index";

type FieldOf = string | ((spec: RunSpec) => string);

/** Docker's and runc's wording, as of Docker 28 and runc 1.2, and the field each is about. */
const valueErrors: [RegExp, FieldOf][] = [
  // Refused at create.
  [/Unknown runtime specified/i, "runtime"],
  [/Invalid signal/i, "stopSignal"],
  [/invalid CapAdd/i, "capAdd"],
  [/invalid CapDrop/i, "capDrop"],
  [/working directory .* is invalid/i, "workingDir"],
  [/memory reservation/i, "memoryReservation"],
  [/Minimum memory limit/i, "memory"],
  [/memoryswap|memory-swap|swap limit/i, "memorySwap"],
  [/hostname and the UTS mode/i, "hostname"],
  [/CPU cfs period/i, "cpuPeriod"],
  [/CPU cfs quota/i, "cpuQuota"],
  [/Requested CPUs are not available/i, "cpusetCpus"],
  [/Requested memory nodes are not available/i, "cpusetMems"],
  [/range of CPUs is from/i, "cpus"],
  [/log opt/i, "logOpts"],
  // Refused at start.
  [/error setting rlimits?\b/i, "ulimits"],
  [/allowed cpu-shares/i, "cpuShares"],
  [/pids\.max/, "pidsLimit"],
  [/write \/proc\/sys\//, "sysctls"],
  [/custom device|error gathering device information/i, "devices"],
  [/mounting "tmpfs" to rootfs/i, (spec) => (spec.tmpfs?.length ? "tmpfs" : "mounts")],
  [/Unable to find group/i, "groupAdd"],
  [/unable to find user/i, "user"],
  [/seccomp/i, "securityOpt"],
  [/failed to initialize logging driver/i, (spec) => (Object.keys(spec.logOpts ?? {}).length ? "logOpts" : "logDriver")],
  [/exec: "[^"]*": .*(no such file|not found|permission denied)/i, (spec) => (spec.entrypoint?.length ? "entrypoint" : "command")],
];

/** The field whose value an engine or runc message is about, if it is one of the known ones. */
export function valueField(message: string, spec: RunSpec): string | undefined {
  const pick = valueErrors.find(([pattern]) => pattern.test(message))?.[1];
  return typeof pick === "function" ? pick(spec) : pick;
}

/** Docker's create errors, with the object named and the form's field when it is clear which. */
export async function createError(docker: Docker, err: unknown, spec: RunSpec): Promise<RuntimeError> {
  const e = toRuntimeError(err);
  const msg = e.message;
  if (spec.logDriver && /error looking up logging plugin/i.test(msg)) {
    // Only a hint: /info leaves out legacy plugins nothing uses yet, so the engine's
    // own lookup (slow for a name it does not know) stays the judge.
    const listed = await docker.info().then((i: { Plugins?: { Log?: string[] | null } }) => i.Plugins?.Log ?? [], () => []);
    const known = listed.length ? ` (this engine lists ${listed.join(", ")})` : "";
    return { ...e, field: "logDriver", message: `logDriver: "${spec.logDriver}" is not a log driver on this engine${known}: ${msg}` };
  }
  const inUse = /is already in use by container "?([0-9a-f]{12,64})"?/.exec(msg);
  if (inUse)
    return {
      ...e,
      code: "CONFLICT",
      field: "name",
      containerId: inUse[1],
      message: `name "${spec.name}" is already in use by container ${inUse[1].slice(0, 12)}: remove or rename that container, or choose another name`,
    };
  if (/invalid reference format/i.test(msg)) return { ...e, code: "BAD_REQUEST", field: "image", message: `image "${spec.image}": ${msg}` };
  const valueOf = e.code === "BAD_REQUEST" ? valueField(msg, spec) : undefined;
  if (valueOf) return { ...e, field: valueOf, message: `${valueOf}: ${msg}` };
  if (/mount|bind source path|volume/i.test(msg)) return { ...e, field: spec.mounts?.length && !spec.volumes?.length ? "mounts" : "volumes", message: `invalid mount: ${msg}` };
  if (/network .* not found/i.test(msg)) return { ...e, field: "network", message: msg };
  if (/No such image/i.test(msg)) return { ...e, field: "image", message: `image "${spec.image}": ${msg}` };
  return { ...e, message: `Docker refused to create the container: ${msg}` };
}
