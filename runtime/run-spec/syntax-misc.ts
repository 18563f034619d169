/**
 * The small value syntaxes of docker run flags, read and written back the way the
 * CLI does: Go's CSV and booleans, --gpus, --ulimit, --device, --restart,
 * --add-host, --link, --volumes-from, --tmpfs, --network's long form, capabilities.
 * Parsers return the value or an error string (the caller names the field).
 */
import type { DeviceSpec, GpusSpec, RunSpec, TmpfsSpec, UlimitSpec } from "./schema";
import { restartPolicies, ulimitNames } from "./schema";

export type Parsed<T> = { value: T } | { error: string };

/** One line of Go's encoding/csv: comma-separated, `"…"` quotes a field, `""` is a quote inside. */
export function parseCsv(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ",") return undefined;
    } else {
      const end = text.indexOf(",", i);
      field = text.slice(i, end < 0 ? text.length : end);
      if (field.includes('"')) return undefined;
      i = end < 0 ? text.length : end;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/** Writes fields so parseCsv (and the CLI) reads them back. */
export function formatCsv(fields: string[]): string {
  return fields.map((f) => (/[",\n]/.test(f) || f.startsWith(" ") ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
}

/** Go's strconv.ParseBool. */
export function parseBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

/** `all`, `2`, or CSV of count=, device=, capabilities=, driver=, options= (opts/gpus.go). */
export function parseGpus(text: string): Parsed<GpusSpec> {
  const fields = parseCsv(text);
  if (!fields) return { error: `cannot read "${text}"` };
  const gpus: GpusSpec = {};
  const seen = new Set<string>();
  const count = (v: string): number | "all" | undefined => (v === "all" ? "all" : /^\d+$/.test(v) ? Number(v) : undefined);
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = field.slice(eq + 1);
    if (seen.has(key) || (eq < 0 && seen.has("count"))) return { error: `"${key}" can be given only once` };
    seen.add(eq < 0 ? "count" : key);
    if (eq < 0 || key === "count") {
      const c = count(eq < 0 ? key : val);
      if (c === undefined) return { error: `invalid count "${eq < 0 ? key : val}": use all or a number` };
      gpus.count = c;
    } else if (key === "device") gpus.deviceIds = val.split(",");
    else if (key === "capabilities") gpus.capabilities = val.split(",");
    else if (key === "driver") gpus.driver = val;
    else if (key === "options") {
      const opts = parseCsv(val);
      if (!opts) return { error: `cannot read options "${val}"` };
      gpus.options = Object.fromEntries(opts.map((o) => [o.split("=")[0], o.slice(o.indexOf("=") + 1)]));
    } else return { error: `unknown key "${key}"` };
  }
  return { value: gpus };
}

export function formatGpus(g: GpusSpec): string {
  const onlyCount = !g.deviceIds && !g.capabilities && !g.driver && !g.options;
  if (onlyCount) return String(g.count ?? 1);
  const fields: string[] = [];
  if (g.count !== undefined) fields.push(`count=${g.count}`);
  if (g.deviceIds) fields.push(`device=${g.deviceIds.join(",")}`);
  if (g.capabilities) fields.push(`capabilities=${g.capabilities.join(",")}`);
  if (g.driver) fields.push(`driver=${g.driver}`);
  if (g.options) fields.push(`options=${formatCsv(Object.entries(g.options).map(([k, v]) => `${k}=${v}`))}`);
  return formatCsv(fields);
}

/** `nofile=1024[:2048]` (go-units ParseUlimit). */
export function parseUlimit(text: string): Parsed<UlimitSpec> {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text);
  if (!m) return { error: `"${text}" must look like nofile=1024 or nofile=1024:2048` };
  if (!(ulimitNames as readonly string[]).includes(m[1])) return { error: `unknown ulimit "${m[1]}"` };
  const soft = Number(m[2]);
  const hard = m[3] === undefined ? undefined : Number(m[3]);
  return { value: { name: m[1] as UlimitSpec["name"], soft, ...(hard !== undefined && hard !== soft ? { hard } : {}) } };
}

export function formatUlimit(u: UlimitSpec): string {
  return u.hard === undefined || u.hard === u.soft ? `${u.name}=${u.soft}` : `${u.name}=${u.soft}:${u.hard}`;
}

const deviceMode = (s: string) => /^[rwm]{1,3}$/.test(s) && new Set(s).size === s.length;

/** `/dev/x[:/dev/y][:rwm]` (parseLinuxDevice); defaults left undefined so the spec stays minimal. */
export function parseDevice(text: string): Parsed<DeviceSpec> {
  const parts = text.split(":");
  if (parts.length > 3 || parts[0] === "") return { error: `"${text}" must look like /dev/host[:/dev/container][:rwm]` };
  let dst: string | undefined;
  let perms: string | undefined;
  if (parts.length === 3) {
    if (!deviceMode(parts[2])) return { error: `bad mode "${parts[2]}": use a combination of r, w and m` };
    [dst, perms] = [parts[1], parts[2]];
  } else if (parts.length === 2) {
    if (deviceMode(parts[1])) perms = parts[1];
    else dst = parts[1];
  }
  const device: DeviceSpec = { pathOnHost: parts[0] };
  if (dst !== undefined && dst !== parts[0]) device.pathInContainer = dst;
  if (perms !== undefined && perms !== "rwm") device.cgroupPermissions = perms;
  return { value: device };
}

export function formatDevice(d: DeviceSpec): string {
  const parts = [d.pathOnHost];
  if (d.pathInContainer !== undefined && d.pathInContainer !== d.pathOnHost) parts.push(d.pathInContainer);
  if (d.cgroupPermissions !== undefined && d.cgroupPermissions !== "rwm") parts.push(d.cgroupPermissions);
  return parts.join(":");
}

/** `no`, `always`, `unless-stopped`, `on-failure[:N]`. */
export function parseRestart(text: string): Parsed<Pick<RunSpec, "restart" | "restartMaxRetries">> {
  const [name, max, extra] = text.split(":");
  if (!(restartPolicies as readonly string[]).includes(name) || extra !== undefined)
    return { error: `invalid restart policy "${text}": use no, always, unless-stopped or on-failure[:max-retries]` };
  if (max === undefined) return { value: { restart: name as RunSpec["restart"] } };
  if (name !== "on-failure") return { error: "a maximum retry count can only be used with on-failure" };
  if (!/^\d+$/.test(max)) return { error: `invalid maximum retry count "${max}"` };
  return { value: { restart: "on-failure", restartMaxRetries: Number(max) } };
}

export function formatRestart(spec: Pick<RunSpec, "restart" | "restartMaxRetries">): string | undefined {
  if (!spec.restart) return undefined;
  return spec.restart === "on-failure" && spec.restartMaxRetries ? `on-failure:${spec.restartMaxRetries}` : spec.restart;
}

/** `host:ip` or `host=ip` (an IPv6 address may be in brackets). */
export function parseHostEntry(text: string): Parsed<{ host: string; ip: string }> {
  let sep = text.indexOf("=");
  if (sep < 0) sep = text.indexOf(":");
  if (sep <= 0 || sep === text.length - 1) return { error: `"${text}" must look like host:ip` };
  return { value: { host: text.slice(0, sep), ip: text.slice(sep + 1).replace(/^\[(.*)\]$/, "$1") } };
}

export function parseLink(text: string): Parsed<{ container: string; alias?: string }> {
  const [container, alias, extra] = text.split(":");
  if (!container || extra !== undefined || alias === "") return { error: `"${text}" must look like name or name:alias` };
  return { value: alias === undefined ? { container } : { container, alias } };
}

export function parseVolumesFrom(text: string): Parsed<{ container: string; mode?: "ro" | "rw" }> {
  const [container, mode, extra] = text.split(":");
  if (!container || extra !== undefined) return { error: `"${text}" must look like container[:ro|rw]` };
  if (mode === undefined) return { value: { container } };
  if (mode !== "ro" && mode !== "rw") return { error: `mode "${mode}" must be ro or rw` };
  return { value: { container, mode } };
}

/** `/run:rw,noexec,size=64m` (the CLI cuts at the first colon). */
export function parseTmpfs(text: string): TmpfsSpec {
  const colon = text.indexOf(":");
  return colon < 0 ? { target: text } : { target: text.slice(0, colon), options: text.slice(colon + 1) };
}

export function formatTmpfs(t: TmpfsSpec): string {
  return t.options === undefined ? t.target : `${t.target}:${t.options}`;
}

/** `--network name=NET,alias=A,ip=…,ip6=…` (the long form); a plain value is the network. */
export function parseNetworkOpt(text: string): Parsed<Pick<RunSpec, "network" | "networkAliases" | "ip" | "ip6" | "macAddress">> {
  if (!text.includes("=")) return { value: { network: text } };
  const fields = parseCsv(text);
  if (!fields) return { error: `cannot read "${text}"` };
  const out: Pick<RunSpec, "network" | "networkAliases" | "ip" | "ip6" | "macAddress"> = {};
  for (const f of fields) {
    const eq = f.indexOf("=");
    const [key, val] = eq < 0 ? [f, ""] : [f.slice(0, eq), f.slice(eq + 1)];
    if (key === "name") out.network = val;
    else if (key === "alias") out.networkAliases = [...(out.networkAliases ?? []), val];
    else if (key === "ip") out.ip = val;
    else if (key === "ip6") out.ip6 = val;
    else if (key === "mac-address") out.macAddress = val;
    else return { error: `the network option "${key}" is not supported by Berth` };
  }
  if (!out.network) return { error: "name= is required in the long form of --network" };
  return { value: out };
}

/** The CLI sends capabilities upper-cased with a CAP_ prefix (except ALL), sorted, once each. */
export function normalizeCapabilities(caps: readonly string[]): string[] {
  const norm = caps.map((c) => {
    const u = c.toUpperCase();
    return u === "ALL" || u.startsWith("CAP_") ? u : `CAP_${u}`;
  });
  return [...new Set(norm)].sort();
}
