/**
 * validateRunSpec: the schema plus the checks that span fields, each error naming
 * its field the way the form shows it (`ports[1].hostPort: …`). The rules are the
 * ones the docker CLI or the engine would refuse the command for, found before a
 * request is made.
 */
import { fieldPath } from "../protocol/zod-issues";
import { isIp } from "./ip";
import { runSpecSchema, volumeNamePattern, type PortSpec, type RunSpec } from "./schema";
import { parseBytes, parseSwapBytes } from "./units";

export interface FieldError {
  /** Path in the spec: `memory`, `ports[0].hostPort`, `sysctls["kernel.foo"]`. */
  field: string;
  /** Starts with the field, so it reads on its own: `memory: invalid size "12x" …`. */
  message: string;
}

export type ValidationResult = { ok: true; spec: RunSpec } | { ok: false; errors: FieldError[] };

export function fieldError(field: string, message: string): FieldError {
  return { field, message: field ? `${field}: ${message}` : message };
}

/**
 * More list entries and map keys in all than any docker run command has. The schema
 * makes an issue of every refused entry, and the runtime checks a spec on its one event
 * loop: a long list is refused as a whole before the schema spends seconds on it.
 */
export const MAX_SPEC_ENTRIES = 10_000;
/** The spec's own shapes nest three deep (mounts[0].volumeOpts.key); deeper values are refused whole, by type. */
const ENTRY_DEPTH = 4;

function tooManyEntries(input: unknown): FieldError | undefined {
  let total = 0;
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value !== "object" || value === null) continue;
    const keys = Object.keys(value);
    total += keys.length;
    if (total > MAX_SPEC_ENTRIES)
      return fieldError(fieldPath(path), `the spec has more than ${MAX_SPEC_ENTRIES} entries in all (list entries and map keys together)`);
    if (path.length < ENTRY_DEPTH)
      for (const k of keys) stack.push({ value: (value as Record<string, unknown>)[k], path: [...path, Array.isArray(value) ? Number(k) : k] });
  }
  return undefined;
}

export function validateRunSpec(input: unknown): ValidationResult {
  const crowded = tooManyEntries(input);
  if (crowded) return { ok: false, errors: [crowded] };
  const parsed = runSpecSchema.safeParse(input);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => fieldError(fieldPath(i.path), i.message));
  // Cross-field rules only look at fields that passed their own checks.
  const seen = new Set(errors.map((e) => e.field));
  const refused = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0] ?? "")));
  const checked = parsed.success ? input : withoutRefused(input, parsed.error.issues.map((i) => i.path));
  for (const e of crossFieldErrors(checked as RunSpec)) {
    const top = /^[^.[]*/.exec(e.field)![0] as keyof RunSpec;
    if (!seen.has(e.field) && !readsAbsence[top]?.some((k) => refused.has(k))) errors.push(e);
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, spec: parsed.data };
}

/**
 * Rules that fire because another field is absent (retries without on-failure, a
 * fixed IP without a user network, swap without memory): when that field was given
 * but refused, it is not absent, and its own error says what to fix.
 */
const readsAbsence: Partial<Record<keyof RunSpec, (keyof RunSpec)[]>> = {
  restartMaxRetries: ["restart"],
  ip: ["network"],
  ip6: ["network"],
  networkAliases: ["network"],
  memorySwap: ["memory"],
};

/**
 * The input with every value the schema refused taken out, so the cross-field
 * rules (written for a RunSpec) never see a value of another type. A refused
 * array element becomes undefined rather than a hole, so indices in the messages
 * still match the form; a refused field of a nested object is dropped from a copy.
 */
function withoutRefused(input: unknown, paths: readonly (readonly PropertyKey[])[]): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return {};
  const out: Record<PropertyKey, unknown> = { ...input };
  // One copy per field, however many of its elements were refused: a copy per issue made a
  // list of a hundred thousand bad elements take the runtime's event loop for hours.
  const copied = new Set<PropertyKey>();
  for (const [top, inner] of paths) {
    if (top === undefined) return {};
    const value = out[top];
    if (inner === undefined || typeof value !== "object" || value === null) {
      delete out[top];
      continue;
    }
    if (!copied.has(top)) {
      out[top] = Array.isArray(value) ? [...value] : { ...value };
      copied.add(top);
    }
    const copy = out[top] as Record<PropertyKey, unknown>;
    if (Array.isArray(copy)) copy[inner as number] = undefined;
    else delete copy[inner];
  }
  return out;
}

const userDefinedNetwork = (n: string | undefined) =>
  n !== undefined && !["default", "bridge", "host", "none"].includes(n) && !n.startsWith("container:");
const allowedSysctl = (k: string) =>
  /^kernel\.(msgmax|msgmnb|msgmni|sem|shmall|shmmax|shmmni|shm_rmid_forced)$/.test(k) || /^(net|fs\.mqueue)\./.test(k);
const isAbsolute = (p: unknown) => typeof p === "string" && p.startsWith("/");
const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

/** Rules between fields, and formats the schema leaves as plain strings. */
export function crossFieldErrors(spec: RunSpec): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push(fieldError(field, message));

  if (spec.autoRemove && spec.restart && spec.restart !== "no")
    err("autoRemove", "cannot be combined with a restart policy (docker refuses --rm with --restart)");
  if (spec.restartMaxRetries !== undefined && spec.restart !== "on-failure")
    err("restartMaxRetries", "only applies to the on-failure restart policy");

  if (countPorts(spec, err)) checkPorts(arr(spec.ports), err);

  arr(spec.env).forEach((e, i) => {
    if (typeof e === "string" && (e === "" || e.startsWith("="))) err(`env[${i}]`, `"${e}" has no variable name`);
  });
  for (const key of Object.keys(spec.labels ?? {}))
    if (key.trim() === "") err("labels", "a label needs a name");

  checkMountPoints(spec, err);

  const net = spec.network;
  if (spec.ip !== undefined && !userDefinedNetwork(net))
    err("ip", "a fixed IP address needs a user-defined network (--network NAME)");
  if (spec.ip6 !== undefined && !userDefinedNetwork(net))
    err("ip6", "a fixed IP address needs a user-defined network (--network NAME)");
  if (arr(spec.networkAliases).length > 0 && !userDefinedNetwork(net))
    err("networkAliases", "network-scoped aliases are only supported for user-defined networks");
  if (net === "host" && arr(spec.links).length > 0) err("links", "cannot be used with the host network");
  if (net?.startsWith("container:")) {
    const conflicts: (keyof RunSpec)[] = ["hostname", "domainname", "dns", "dnsSearch", "dnsOptions", "addHosts", "ports", "publishAll", "expose", "macAddress", "links"];
    for (const k of conflicts) {
      const v = spec[k];
      if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0))
        err(k, `cannot be set when sharing another container's network (${net})`);
    }
  }
  arr(spec.addHosts).forEach((h, i) => {
    if (h && typeof h.ip === "string" && h.ip !== "host-gateway" && !isIp(h.ip))
      err(`addHosts[${i}].ip`, `"${h.ip}" is not an IP address (or host-gateway)`);
  });

  for (const [k, v] of Object.entries(spec.sysctls ?? {})) {
    if (!allowedSysctl(k))
      err(fieldPath(["sysctls", k]), "not allowed: Docker only sets namespaced sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*)");
    else if (net === "host" && k.startsWith("net."))
      err(fieldPath(["sysctls", k]), "net.* sysctls cannot be set with the host network");
    if (typeof v !== "string") err(fieldPath(["sysctls", k]), "needs a value");
  }

  const memory = spec.memory !== undefined ? parseBytes(spec.memory) : undefined;
  if (memory !== undefined && memory > 0 && memory < 6 * 1024 * 1024) err("memory", "Docker's minimum memory limit is 6m");
  const reservation = spec.memoryReservation !== undefined ? parseBytes(spec.memoryReservation) : undefined;
  if (memory && reservation && reservation > memory) err("memoryReservation", "must not be more than memory");
  const swap = spec.memorySwap !== undefined ? parseSwapBytes(spec.memorySwap) : undefined;
  if (swap !== undefined && swap !== 0) {
    if (!memory) err("memorySwap", "needs a memory limit too (memory)");
    else if (swap !== -1 && swap < memory) err("memorySwap", "is memory plus swap: it must be at least memory");
  }
  if (spec.cpus !== undefined && (spec.cpuPeriod || spec.cpuQuota))
    err("cpus", "cannot be combined with cpuPeriod/cpuQuota (Docker refuses both)");

  arr(spec.ulimits).forEach((u, i) => {
    if (u && u.hard !== undefined && u.soft > u.hard && u.hard !== -1)
      err(`ulimits[${i}].soft`, "must not be more than hard");
  });
  arr(spec.devices).forEach((d, i) => {
    if (d && !isAbsolute(d.pathOnHost)) err(`devices[${i}].pathOnHost`, "must be an absolute path");
    if (d && d.pathInContainer !== undefined && !isAbsolute(d.pathInContainer))
      err(`devices[${i}].pathInContainer`, "must be an absolute path");
  });

  arr(spec.securityOpt).forEach((o, i) => {
    if (typeof o !== "string" || o === "no-new-privileges") return;
    const m = /^([^=:]+)[=:](.+)$/.exec(o);
    if (!m) return err(`securityOpt[${i}]`, `"${o}" must be key=value (or no-new-privileges)`);
    // The CLI reads a seccomp profile file on its own machine and sends its JSON; Berth needs the JSON itself.
    if (m[1] === "seccomp" && !["unconfined", "builtin"].includes(m[2]) && !m[2].trim().startsWith("{"))
      err(`securityOpt[${i}]`, "a seccomp profile must be unconfined, builtin or the profile's JSON (a file path only means something to the CLI's machine)");
  });

  const hc = spec.healthcheck;
  if (hc?.none && (hc.cmd !== undefined || hc.interval || hc.timeout || hc.startPeriod || hc.startInterval || hc.retries))
    err("healthcheck.none", "conflicts with the other healthcheck options");
  if (spec.logDriver === "none" && Object.keys(spec.logOpts ?? {}).length > 0)
    err("logOpts", "the none log driver takes no options");

  if (spec.pid !== undefined && !/^(host|container:.+)?$/.test(spec.pid)) err("pid", "must be host or container:NAME");
  if (spec.ipc !== undefined && !/^(none|private|shareable|host|container:.+)?$/.test(spec.ipc))
    err("ipc", "must be none, private, shareable, host or container:NAME");
  if (spec.uts !== undefined && !/^(host)?$/.test(spec.uts)) err("uts", "must be host");
  if (spec.userns !== undefined && !/^(host)?$/.test(spec.userns)) err("userns", "must be host");
  if (spec.stopSignal !== undefined && !/^(SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/i.test(spec.stopSignal))
    err("stopSignal", `"${spec.stopSignal}" is not a signal (e.g. SIGTERM or 15)`);
  return errors;
}

type Err = (field: string, message: string) => void;

const allInterfaces = (ip: string | undefined) => !ip || ip === "0.0.0.0" || ip === "::";

/**
 * Each port of a range is one entry of the create request (and one proxy when published):
 * beyond every port once, a list of ranges only costs the runtime time and memory.
 */
export const MAX_PORTS = 65535;

/** False when `ports` and `expose` together name more than MAX_PORTS ports (counted without expanding them). */
function countPorts(spec: RunSpec, err: Err): boolean {
  let total = 0;
  const over = (field: "ports" | "expose") => {
    err(field, `more than ${MAX_PORTS} ports in all (ports and expose together, each port of a range counted)`);
    return false;
  };
  for (const p of arr(spec.ports)) {
    if (!p || typeof p.containerPort !== "number") continue;
    total += Math.max(1, (p.containerPortEnd ?? p.containerPort) - p.containerPort + 1);
    if (total > MAX_PORTS) return over("ports");
  }
  for (const e of arr(spec.expose)) {
    const m = typeof e === "string" ? /^(\d+)(?:-(\d+))?/.exec(e) : null;
    if (!m) continue;
    total += Math.max(1, Number(m[2] ?? m[1]) - Number(m[1]) + 1);
    if (total > MAX_PORTS) return over("expose");
  }
  return true;
}

/** Who holds one host port of one protocol: the first mapping on every interface, per address, and of all. */
interface PortHolders {
  any?: number;
  first: number;
  byIp: Map<string, number>;
}

function checkPorts(ports: PortSpec[], err: Err): void {
  // Indexed by host port, so a long list is checked in one pass (countPorts bounds the ports it spans).
  const held = new Map<string, PortHolders>();
  const clashWith = (ip: string | undefined, proto: string, from: number, to: number): number | undefined => {
    let found: number | undefined;
    for (let port = from; port <= to; port++) {
      const h = held.get(`${port}/${proto}`);
      if (!h) continue;
      const i = allInterfaces(ip) ? h.first : Math.min(h.any ?? Infinity, h.byIp.get(ip!) ?? Infinity);
      if (Number.isFinite(i) && (found === undefined || i < found)) found = i;
    }
    return found;
  };
  const hold = (ip: string | undefined, proto: string, from: number, to: number, index: number) => {
    for (let port = from; port <= to; port++) {
      const key = `${port}/${proto}`;
      const h = held.get(key) ?? { first: index, byIp: new Map<string, number>() };
      held.set(key, h);
      if (allInterfaces(ip)) h.any ??= index;
      else if (!h.byIp.has(ip!)) h.byIp.set(ip!, index);
    }
  };
  ports.forEach((p, i) => {
    if (!p || typeof p.containerPort !== "number") return;
    const at = `ports[${i}]`;
    if (p.hostIp !== undefined && p.hostIp !== "" && !isIp(p.hostIp)) err(`${at}.hostIp`, `"${p.hostIp}" is not an IP address`);
    if (p.hostPortEnd !== undefined && (p.hostPort === undefined || p.hostPortEnd < p.hostPort))
      err(`${at}.hostPortEnd`, "must be at least hostPort");
    if (p.containerPortEnd !== undefined && p.containerPortEnd < p.containerPort)
      err(`${at}.containerPortEnd`, "must be at least containerPort");
    const containerCount = (p.containerPortEnd ?? p.containerPort) - p.containerPort + 1;
    const hostCount = p.hostPort ? (p.hostPortEnd ?? p.hostPort) - p.hostPort + 1 : 0;
    if (containerCount > 1 && hostCount > 0 && hostCount !== containerCount)
      err(`${at}.hostPortEnd`, "the host range must be as long as the container range");
    if (!p.hostPort) return;
    const proto = p.protocol ?? "tcp";
    const from = p.hostPort;
    // A single container port with a host range takes one port of the range: only its first can clash for sure.
    // A host range longer than its container range is refused above; only the ports it maps are checked.
    const to = containerCount > 1 ? Math.min(p.hostPortEnd ?? from, from + containerCount - 1) : from;
    const clash = clashWith(p.hostIp, proto, from, to);
    if (clash !== undefined) err(`${at}.hostPort`, `host port ${from}/${proto} is already published by ports[${clash}]`);
    hold(p.hostIp, proto, from, to, i);
  });
}

function checkMountPoints(spec: RunSpec, err: Err): void {
  const targets = new Map<string, string>();
  const claim = (target: unknown, field: string) => {
    if (typeof target !== "string") return;
    if (!target.startsWith("/")) return err(field, "must be an absolute path in the container");
    const clean = target.replace(/\/+$/, "") || "/";
    const other = targets.get(clean);
    if (other) err(field, `${clean} is already mounted by ${other}`);
    else targets.set(clean, field.replace(/\.target$/, ""));
  };
  arr(spec.volumes).forEach((v, i) => {
    if (!v) return;
    const at = `volumes[${i}]`;
    claim(v.target, `${at}.target`);
    if (v.source === undefined) {
      if (v.mode || v.selinuxLabel || v.propagation || v.nocopy)
        err(at, "an anonymous volume takes no options: give it a source (a volume name or a host path)");
    } else if (!v.source.startsWith("/") && !volumeNamePattern.test(v.source)) {
      err(`${at}.source`, `"${v.source}" must be a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+) or an absolute host path`);
    }
    if (v.nocopy && v.source?.startsWith("/")) err(`${at}.nocopy`, "only applies to volumes, not host paths");
  });
  arr(spec.mounts).forEach((m, i) => {
    if (!m) return;
    const at = `mounts[${i}]`;
    claim(m.target, `${at}.target`);
    const volumeOpts = m.volumeNoCopy !== undefined || m.volumeSubpath || m.volumeDriver || m.volumeOpts || m.volumeLabels;
    const bindOpts = m.bindPropagation || m.bindNonRecursive !== undefined;
    const tmpfsOpts = m.tmpfsSize !== undefined || m.tmpfsMode !== undefined;
    if (volumeOpts && m.type !== "volume") err(at, `volume options cannot be used with type ${m.type}`);
    if (bindOpts && m.type !== "bind") err(at, `bind options cannot be used with type ${m.type}`);
    if (tmpfsOpts && m.type !== "tmpfs") err(at, `tmpfs options cannot be used with type ${m.type}`);
    if (m.type === "bind" && !isAbsolute(m.source)) err(`${at}.source`, "a bind mount needs an absolute host path");
    if (m.type === "tmpfs" && m.source) err(`${at}.source`, "a tmpfs mount has no source");
    if (m.type === "volume" && m.source && !volumeNamePattern.test(m.source))
      err(`${at}.source`, `"${m.source}" is not a valid volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)`);
  });
  arr(spec.tmpfs).forEach((t, i) => t && claim(t.target, `tmpfs[${i}].target`));
}
