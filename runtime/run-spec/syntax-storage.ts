/**
 * The port and storage syntaxes: `-p`, `--expose`, `-v` and `--mount`, read the way
 * the CLI and the engine read them and written back so they read the same again.
 */
import { isIp } from "./ip";
import type { MountSpec, PortSpec, VolumeSpec } from "./schema";
import { propagations } from "./schema";
import { formatCsv, parseBool, parseCsv, type Parsed } from "./syntax-misc";
import { formatBytes, parseBytes } from "./units";

const portOrRange = /^(\d+)(?:-(\d+))?$/;

/**
 * `-p [ip:][hostPort[-end]:]containerPort[-end][/proto]` (go-connections nat.ParsePortSpec),
 * or the long form `published=8080,target=80,protocol=udp`.
 */
export function parsePortSpec(text: string): Parsed<PortSpec> {
  if (text.includes("=")) {
    const fields = parseCsv(text);
    if (!fields) return { error: `cannot read "${text}"` };
    const kv: Record<string, string> = {};
    for (const f of fields) {
      const eq = f.indexOf("=");
      if (eq <= 0) return { error: `"${f}" must be name=value` };
      kv[f.slice(0, eq)] = f.slice(eq + 1);
    }
    const unknown = Object.keys(kv).filter((k) => !["published", "target", "protocol"].includes(k));
    if (unknown.length) return { error: `the option "${unknown[0]}" is not supported by docker run` };
    return parsePortSpec(`${kv.published ?? ""}:${kv.target ?? ""}/${kv.protocol ?? "tcp"}`);
  }
  let rest = text;
  let protocol: PortSpec["protocol"];
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (proto !== "tcp" && proto !== "udp" && proto !== "sctp") return { error: `unknown protocol "${proto}": use tcp, udp or sctp` };
    if (proto !== "tcp") protocol = proto;
    rest = rest.slice(0, slash);
  }
  const parts = rest.split(":");
  const n = parts.length;
  const containerText = parts[n - 1];
  const hostText = n >= 2 ? parts[n - 2] : "";
  const ipText = n >= 3 ? parts.slice(0, n - 2).join(":") : "";
  const hostIp = ipText.replace(/^\[(.*)\]$/, "$1");
  if (ipText !== "" && !isIp(hostIp)) return { error: `invalid IP address "${ipText}"` };
  const c = portOrRange.exec(containerText);
  if (!c) return { error: `invalid container port "${containerText}"` };
  const port: PortSpec = { containerPort: Number(c[1]) };
  if (c[2] !== undefined) port.containerPortEnd = Number(c[2]);
  if (hostText !== "") {
    const h = portOrRange.exec(hostText);
    if (!h) return { error: `invalid host port "${hostText}"` };
    port.hostPort = Number(h[1]);
    if (h[2] !== undefined) port.hostPortEnd = Number(h[2]);
  }
  if (ipText !== "") port.hostIp = hostIp;
  if (protocol) port.protocol = protocol;
  return { value: port };
}

const range = (from: number | undefined, to: number | undefined) =>
  from === undefined ? "" : to !== undefined && to !== from ? `${from}-${to}` : String(from);

export function formatPortSpec(p: PortSpec): string {
  const container = range(p.containerPort, p.containerPortEnd) + (p.protocol && p.protocol !== "tcp" ? `/${p.protocol}` : "");
  const host = range(p.hostPort, p.hostPortEnd);
  if (p.hostIp) return `${p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp}:${host}:${container}`;
  return host ? `${host}:${container}` : container;
}

const volumeModes = new Set(["ro", "rw", "z", "Z", "nocopy", ...propagations]);

/** `-v [source:]target[:opts]`, read as the engine reads it (a second part that is a mode makes an anonymous volume). */
export function parseVolumeSpec(text: string): Parsed<VolumeSpec> {
  const parts = text.split(":");
  let source: string | undefined;
  let target: string;
  let modes: string | undefined;
  const isModes = (s: string) => s.split(",").every((m) => volumeModes.has(m));
  if (parts.length === 1) target = parts[0];
  else if (parts.length === 2 && isModes(parts[1])) [target, modes] = parts;
  else if (parts.length === 2) [source, target] = parts;
  else if (parts.length === 3) [source, target, modes] = parts;
  else return { error: `"${text}" must look like [source:]/container/path[:options]` };
  if (target === "") return { error: `"${text}" has no container path` };
  if (source === "") return { error: `"${text}" has an empty source` };
  const volume: VolumeSpec = source === undefined ? { target } : { source, target };
  for (const m of modes === undefined ? [] : modes.split(",")) {
    const twice = (k: keyof VolumeSpec) => volume[k] !== undefined;
    if (m === "ro" || m === "rw") {
      if (twice("mode")) return { error: `"${text}" gives ro/rw twice` };
      volume.mode = m;
    } else if (m === "z" || m === "Z") {
      if (twice("selinuxLabel")) return { error: `"${text}" gives z/Z twice` };
      volume.selinuxLabel = m;
    } else if (m === "nocopy") volume.nocopy = true;
    else if ((propagations as readonly string[]).includes(m)) {
      if (twice("propagation")) return { error: `"${text}" gives two propagation modes` };
      volume.propagation = m as VolumeSpec["propagation"];
    } else return { error: `unknown option "${m}" in "${text}": use ro, rw, z, Z, nocopy or a propagation mode` };
  }
  return { value: volume };
}

/** The option list in one fixed order (the engine reads it as a set). */
function volumeModesText(v: VolumeSpec): string {
  return [v.mode, v.selinuxLabel, v.propagation, v.nocopy ? "nocopy" : undefined].filter(Boolean).join(",");
}

export function formatVolumeSpec(v: VolumeSpec): string {
  const modes = volumeModesText(v);
  return [v.source, v.target, modes || undefined].filter((p) => p !== undefined).join(":");
}

/** The mount types --mount writes; `image`, `npipe` and `cluster` are not for docker run on Linux. */
const mountTypes = ["volume", "bind", "tmpfs"] as const;

/** `--mount type=…,source=…,target=…,…` (opts/mount.go). */
export function parseMountSpec(text: string): Parsed<MountSpec> {
  const fields = parseCsv(text);
  if (!fields) return { error: `cannot read "${text}"` };
  const m: Partial<MountSpec> = {};
  let type = "volume";
  const map = (into: Record<string, string> | undefined, v: string) => {
    const eq = v.indexOf("=");
    const out = { ...into };
    if (eq !== 0) out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? "" : v.slice(eq + 1);
    return out;
  };
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = field.slice(eq + 1);
    const bool = () => (eq < 0 ? true : parseBool(val));
    if (eq < 0 && !["readonly", "ro", "volume-nocopy", "bind-nonrecursive"].includes(key))
      return { error: `"${field}" must be a key=value pair` };
    switch (key) {
      case "type":
        type = val.toLowerCase();
        break;
      case "source":
      case "src":
        m.source = val;
        break;
      case "target":
      case "dst":
      case "destination":
        m.target = val;
        break;
      case "readonly":
      case "ro": {
        const b = bool();
        if (b === undefined) return { error: `invalid value for ${key}: "${val}"` };
        m.readOnly = b || undefined;
        break;
      }
      case "consistency":
        m.consistency = val.toLowerCase() as MountSpec["consistency"];
        break;
      case "bind-propagation":
        m.bindPropagation = val.toLowerCase() as MountSpec["bindPropagation"];
        break;
      case "bind-nonrecursive": {
        const b = bool();
        if (b === undefined) return { error: `invalid value for bind-nonrecursive: "${val}"` };
        m.bindNonRecursive = b;
        break;
      }
      case "bind-recursive":
        if (val === "enabled") break;
        if (val === "disabled") m.bindNonRecursive = true;
        else return { error: `bind-recursive=${val} needs a newer engine than Berth targets (API 1.44)` };
        break;
      case "volume-nocopy": {
        const b = bool();
        if (b === undefined) return { error: `invalid value for volume-nocopy: "${val}"` };
        m.volumeNoCopy = b;
        break;
      }
      case "volume-subpath":
        m.volumeSubpath = val;
        break;
      case "volume-driver":
        m.volumeDriver = val;
        break;
      case "volume-opt":
        m.volumeOpts = map(m.volumeOpts, val);
        break;
      case "volume-label":
        m.volumeLabels = map(m.volumeLabels, val);
        break;
      case "tmpfs-size":
        if (parseBytes(val) === undefined) return { error: `invalid value for tmpfs-size: "${val}"` };
        m.tmpfsSize = val;
        break;
      case "tmpfs-mode":
        if (!/^[0-7]+$/.test(val)) return { error: `invalid value for tmpfs-mode: "${val}" (octal, like 1777)` };
        m.tmpfsMode = val;
        break;
      default:
        return { error: `unknown option "${key}" in --mount` };
    }
  }
  if (!(mountTypes as readonly string[]).includes(type)) return { error: `mount type "${type}" is not supported: use volume, bind or tmpfs` };
  if (!m.target) return { error: "target is required" };
  return { value: { type: type as MountSpec["type"], ...m } as MountSpec };
}

export function formatMountSpec(m: MountSpec): string {
  const f: string[] = [`type=${m.type}`];
  if (m.source !== undefined) f.push(`source=${m.source}`);
  f.push(`target=${m.target}`);
  if (m.readOnly) f.push("readonly");
  if (m.consistency) f.push(`consistency=${m.consistency}`);
  if (m.bindPropagation) f.push(`bind-propagation=${m.bindPropagation}`);
  if (m.bindNonRecursive !== undefined) f.push(m.bindNonRecursive ? "bind-nonrecursive" : "bind-nonrecursive=false");
  if (m.volumeNoCopy !== undefined) f.push(m.volumeNoCopy ? "volume-nocopy" : "volume-nocopy=false");
  if (m.volumeSubpath !== undefined) f.push(`volume-subpath=${m.volumeSubpath}`);
  if (m.volumeDriver !== undefined) f.push(`volume-driver=${m.volumeDriver}`);
  for (const [k, v] of Object.entries(m.volumeOpts ?? {})) f.push(`volume-opt=${k}=${v}`);
  for (const [k, v] of Object.entries(m.volumeLabels ?? {})) f.push(`volume-label=${k}=${v}`);
  if (m.tmpfsSize !== undefined) f.push(`tmpfs-size=${typeof m.tmpfsSize === "number" ? formatBytes(m.tmpfsSize) : m.tmpfsSize}`);
  if (m.tmpfsMode !== undefined) f.push(`tmpfs-mode=${m.tmpfsMode}`);
  return formatCsv(f);
}

/** The option text of a `-v` entry, used for Binds by the engine conversion. */
export { volumeModesText };
