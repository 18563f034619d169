/**
 * Every flag of `docker run --help` (docker CLI 28), and what each one does to a
 * RunSpec. A flag is one of: mapped (`apply`), `unsupported` (it changes the
 * container but RunSpec cannot hold it: listed in unknownFlags) or `client` (it
 * only changes what the CLI itself does, not the container: listed in ignoredFlags).
 */
import type { RunSpec } from "./schema";
import {
  parseDevice, parseGpus, parseHostEntry, parseLink, parseNetworkOpt, parseRestart,
  parseTmpfs, parseUlimit, parseVolumesFrom, type Parsed,
} from "./syntax-misc";
import { parseMountSpec, parsePortSpec, parseVolumeSpec } from "./syntax-storage";

/** The spec being built; fields are filled in flag order, lists appended. */
export interface Builder {
  spec: RunSpec;
  error(field: string, message: string): void;
  warn(field: string, message: string): void;
}

type Apply = (b: Builder, value: string) => void;

export interface FlagDef {
  long: string;
  short?: string;
  /** Hidden spellings the CLI still accepts (`--net`, `--net-alias`, `--dns-opt`). */
  aliases?: string[];
  /** Takes no value (`--rm`), though `--rm=false` is accepted. */
  bool?: boolean;
  /** The RunSpec field it fills, for messages. */
  field?: string;
  apply?: Apply;
  kind?: "unsupported" | "client";
  /** Why an unsupported or client flag is not mapped. */
  note?: string;
}

type ListKey = { [K in keyof RunSpec]-?: NonNullable<RunSpec[K]> extends unknown[] ? K : never }[keyof RunSpec];
type MapKey = "labels" | "sysctls" | "logOpts";

/** The spec as a plain record: the table below fills fields by name. */
const fields = (b: Builder) => b.spec as unknown as Record<string, unknown>;
const set = (key: keyof RunSpec, convert: (v: string) => unknown = (v) => v): Apply => (b, v) => {
  fields(b)[key] = convert(v);
};
const setBool = (key: keyof RunSpec): Apply => (b, v) => {
  // false is what docker run does without the flag: leave it out so the spec stays minimal.
  if (v === "true") fields(b)[key] = true;
  else delete fields(b)[key];
};
const push = (key: ListKey, convert: (v: string) => unknown = (v) => v): Apply => (b, v) => {
  const list = (fields(b)[key] as unknown[] | undefined) ?? [];
  list.push(convert(v));
  fields(b)[key] = list;
};
const pushParsed = <T>(key: ListKey, parse: (v: string) => Parsed<T>): Apply => (b, v) => {
  const list = (fields(b)[key] as unknown[] | undefined) ?? [];
  const r = parse(v);
  if ("error" in r) return b.error(`${key}[${list.length}]`, r.error);
  list.push(r.value);
  fields(b)[key] = list;
};
const putMap = (key: MapKey, needsEq = false): Apply => (b, v) => {
  const eq = v.indexOf("=");
  if (eq === 0 || (needsEq && eq < 0)) return b.error(key, `"${v}" must be key=value`);
  const map = b.spec[key] ?? {};
  map[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? "" : v.slice(eq + 1);
  b.spec[key] = map;
};
const int = (key: keyof RunSpec): Apply => (b, v) => {
  if (!/^-?\d+$/.test(v.trim())) return b.error(key, `"${v}" is not a whole number`);
  fields(b)[key] = Number(v.trim());
};
const health = (key: "interval" | "timeout" | "startPeriod" | "startInterval" | "retries" | "cmd"): Apply => (b, v) => {
  const hc = (b.spec.healthcheck ??= {});
  if (key === "retries") {
    if (!/^-?\d+$/.test(v)) return b.error("healthcheck.retries", `"${v}" is not a whole number`);
    if (Number(v) === 0) delete hc.retries;
    else hc.retries = Number(v);
  } else if (key === "cmd") {
    if (v === "") delete hc.cmd;
    else hc.cmd = v;
  } else if (v === "0" || v === "0s") delete hc[key];
  else hc[key] = v;
};
const unsupported = (long: string, note: string, extra: Partial<FlagDef> = {}): FlagDef => ({ long, kind: "unsupported", note, ...extra });
const client = (long: string, note: string, extra: Partial<FlagDef> = {}): FlagDef => ({ long, kind: "client", note, ...extra });

export const flagDefs: FlagDef[] = [
  // base
  { long: "name", field: "name", apply: set("name") },
  { long: "platform", field: "platform", apply: set("platform") },
  {
    long: "pull", field: "alwaysPull",
    apply: (b, v) => {
      if (v === "always") b.spec.alwaysPull = true;
      else if (v === "missing" || v === "") delete b.spec.alwaysPull;
      else if (v === "never") b.error("alwaysPull", "--pull never is not supported: Berth pulls a missing image");
      else b.error("alwaysPull", `--pull "${v}" must be always, missing or never`);
    },
  },
  { long: "entrypoint", field: "entrypoint", apply: set("entrypoint", (v) => [v]) },
  { long: "workdir", short: "w", field: "workingDir", apply: set("workingDir") },
  { long: "user", short: "u", field: "user", apply: set("user") },
  { long: "interactive", short: "i", bool: true, field: "interactive", apply: setBool("interactive") },
  { long: "tty", short: "t", bool: true, field: "tty", apply: setBool("tty") },
  { long: "detach", short: "d", bool: true, field: "detach", apply: setBool("detach") },
  { long: "rm", bool: true, field: "autoRemove", apply: setBool("autoRemove") },
  { long: "init", bool: true, field: "init", apply: (b, v) => void (b.spec.init = v === "true") },
  { long: "label", short: "l", field: "labels", apply: putMap("labels") },
  {
    long: "env", short: "e", field: "env",
    apply: (b, v) => {
      const list = b.spec.env ?? [];
      if (!v.includes("=") && v !== "")
        b.warn(`env[${list.length}]`, `"${v}" has no value: the docker CLI would copy ${v} from its own environment; Berth sends "${v}" as the CLI does when it is unset`);
      list.push(v);
      b.spec.env = list;
    },
  },
  { long: "hostname", short: "h", field: "hostname", apply: set("hostname") },
  { long: "domainname", field: "domainname", apply: set("domainname") },
  // ports
  { long: "publish-all", short: "P", bool: true, field: "publishAll", apply: setBool("publishAll") },
  { long: "publish", short: "p", field: "ports", apply: pushParsed("ports", parsePortSpec) },
  { long: "expose", field: "expose", apply: push("expose") },
  // storage
  { long: "volume", short: "v", field: "volumes", apply: pushParsed("volumes", parseVolumeSpec) },
  { long: "mount", field: "mounts", apply: pushParsed("mounts", parseMountSpec) },
  { long: "tmpfs", field: "tmpfs", apply: push("tmpfs", parseTmpfs) },
  { long: "volumes-from", field: "volumesFrom", apply: pushParsed("volumesFrom", parseVolumesFrom) },
  { long: "volume-driver", field: "volumeDriver", apply: set("volumeDriver") },
  // network
  {
    long: "network", aliases: ["net"], field: "network",
    apply: (b, v) => {
      if (b.spec.network !== undefined)
        return b.error("network", `only one network can be given when creating a container (engine API 1.41); connect "${v}" afterwards`);
      const r = parseNetworkOpt(v);
      if ("error" in r) return b.error("network", r.error);
      const { networkAliases, ...rest } = r.value;
      Object.assign(b.spec, rest);
      if (networkAliases) b.spec.networkAliases = [...(b.spec.networkAliases ?? []), ...networkAliases];
    },
  },
  { long: "ip", field: "ip", apply: set("ip") },
  { long: "ip6", field: "ip6", apply: set("ip6") },
  { long: "network-alias", aliases: ["net-alias"], field: "networkAliases", apply: push("networkAliases") },
  { long: "link", field: "links", apply: pushParsed("links", parseLink) },
  { long: "dns", field: "dns", apply: push("dns") },
  { long: "dns-search", field: "dnsSearch", apply: push("dnsSearch") },
  { long: "dns-option", aliases: ["dns-opt"], field: "dnsOptions", apply: push("dnsOptions") },
  { long: "add-host", field: "addHosts", apply: pushParsed("addHosts", parseHostEntry) },
  { long: "mac-address", field: "macAddress", apply: set("macAddress") },
  // restart
  {
    long: "restart", field: "restart",
    apply: (b, v) => {
      const r = parseRestart(v);
      if ("error" in r) return b.error("restart", r.error);
      delete b.spec.restartMaxRetries;
      if (r.value.restart === "no" && r.value.restartMaxRetries === undefined) delete b.spec.restart;
      else Object.assign(b.spec, r.value);
    },
  },
  // resources
  { long: "memory", short: "m", field: "memory", apply: set("memory") },
  { long: "memory-reservation", field: "memoryReservation", apply: set("memoryReservation") },
  { long: "memory-swap", field: "memorySwap", apply: set("memorySwap") },
  {
    long: "memory-swappiness", field: "memorySwappiness",
    apply: (b, v) => (v.trim() === "-1" ? void delete b.spec.memorySwappiness : int("memorySwappiness")(b, v)),
  },
  {
    long: "cpus", field: "cpus",
    apply: (b, v) => {
      if (!/^\d*\.?\d+$/.test(v.trim())) return b.error("cpus", `"${v}" is not a number`);
      if (Number(v) === 0) delete b.spec.cpus;
      else b.spec.cpus = Number(v);
    },
  },
  { long: "cpu-shares", short: "c", field: "cpuShares", apply: int("cpuShares") },
  { long: "cpu-period", field: "cpuPeriod", apply: int("cpuPeriod") },
  { long: "cpu-quota", field: "cpuQuota", apply: int("cpuQuota") },
  { long: "cpuset-cpus", field: "cpusetCpus", apply: set("cpusetCpus") },
  { long: "cpuset-mems", field: "cpusetMems", apply: set("cpusetMems") },
  { long: "pids-limit", field: "pidsLimit", apply: int("pidsLimit") },
  { long: "shm-size", field: "shmSize", apply: set("shmSize") },
  {
    long: "ulimit", field: "ulimits",
    apply: (b, v) => {
      // The CLI keeps one ulimit per name, the last one given.
      const r = parseUlimit(v);
      const list = (b.spec.ulimits ?? []).filter((u) => "error" in r || u.name !== r.value.name);
      if ("error" in r) return b.error(`ulimits[${list.length}]`, r.error);
      b.spec.ulimits = [...list, r.value];
    },
  },
  { long: "oom-kill-disable", bool: true, field: "oomKillDisable", apply: setBool("oomKillDisable") },
  { long: "oom-score-adj", field: "oomScoreAdj", apply: int("oomScoreAdj") },
  { long: "device", field: "devices", apply: pushParsed("devices", parseDevice) },
  { long: "device-cgroup-rule", field: "deviceCgroupRules", apply: push("deviceCgroupRules") },
  {
    long: "gpus", field: "gpus",
    apply: (b, v) => {
      const r = parseGpus(v);
      if ("error" in r) return b.error("gpus", r.error);
      if (b.spec.gpus) b.error("gpus", "Berth takes one --gpus request");
      b.spec.gpus = r.value;
    },
  },
  { long: "blkio-weight", field: "blkioWeight", apply: int("blkioWeight") },
  { long: "cgroup-parent", field: "cgroupParent", apply: set("cgroupParent") },
  // security
  { long: "privileged", bool: true, field: "privileged", apply: setBool("privileged") },
  { long: "cap-add", field: "capAdd", apply: push("capAdd") },
  { long: "cap-drop", field: "capDrop", apply: push("capDrop") },
  { long: "security-opt", field: "securityOpt", apply: push("securityOpt") },
  { long: "read-only", bool: true, field: "readOnly", apply: setBool("readOnly") },
  { long: "sysctl", field: "sysctls", apply: putMap("sysctls", true) },
  { long: "pid", field: "pid", apply: set("pid") },
  { long: "ipc", field: "ipc", apply: set("ipc") },
  { long: "uts", field: "uts", apply: set("uts") },
  { long: "cgroupns", field: "cgroupns", apply: set("cgroupns") },
  { long: "userns", field: "userns", apply: set("userns") },
  { long: "group-add", field: "groupAdd", apply: push("groupAdd") },
  { long: "runtime", field: "runtime", apply: set("runtime") },
  { long: "stop-signal", field: "stopSignal", apply: set("stopSignal") },
  { long: "stop-timeout", field: "stopTimeout", apply: int("stopTimeout") },
  // logging
  { long: "log-driver", field: "logDriver", apply: set("logDriver") },
  { long: "log-opt", field: "logOpts", apply: putMap("logOpts") },
  // healthcheck
  { long: "health-cmd", field: "healthcheck.cmd", apply: health("cmd") },
  { long: "health-interval", field: "healthcheck.interval", apply: health("interval") },
  { long: "health-timeout", field: "healthcheck.timeout", apply: health("timeout") },
  { long: "health-retries", field: "healthcheck.retries", apply: health("retries") },
  { long: "health-start-period", field: "healthcheck.startPeriod", apply: health("startPeriod") },
  { long: "health-start-interval", field: "healthcheck.startInterval", apply: health("startInterval") },
  {
    long: "no-healthcheck", bool: true, field: "healthcheck.none",
    apply: (b, v) => {
      if (v === "true") (b.spec.healthcheck ??= {}).none = true;
      else if (b.spec.healthcheck) delete b.spec.healthcheck.none;
    },
  },
  // changes the container, not (yet) in RunSpec
  unsupported("annotation", "OCI annotations need engine API 1.43"),
  unsupported("attach", "Berth never attaches at creation; a container is started detached", { short: "a" }),
  unsupported("blkio-weight-device", "per-device block IO weights are not in Berth's form"),
  unsupported("device-read-bps", "per-device IO limits are not in Berth's form"),
  unsupported("device-read-iops", "per-device IO limits are not in Berth's form"),
  unsupported("device-write-bps", "per-device IO limits are not in Berth's form"),
  unsupported("device-write-iops", "per-device IO limits are not in Berth's form"),
  unsupported("cpu-count", "Windows only"),
  unsupported("cpu-percent", "Windows only"),
  unsupported("io-maxbandwidth", "Windows only"),
  unsupported("io-maxiops", "Windows only"),
  unsupported("isolation", "Windows only"),
  unsupported("cpu-rt-period", "real-time CPU scheduling is not in Berth's form"),
  unsupported("cpu-rt-runtime", "real-time CPU scheduling is not in Berth's form"),
  unsupported("env-file", "the file is on the CLI's machine: paste its lines as -e instead"),
  unsupported("label-file", "the file is on the CLI's machine: paste its lines as -l instead"),
  unsupported("kernel-memory", "deprecated, and no longer supported by the kernel"),
  unsupported("link-local-ip", "link-local addresses are not in Berth's form"),
  unsupported("storage-opt", "storage driver options are not in Berth's form"),
  unsupported("use-api-socket", "mounts the CLI's own Docker socket and credentials", { bool: true }),
  // only change what the CLI does
  client("cidfile", "the file is written by the CLI"),
  client("detach-keys", "applies to an attached terminal"),
  client("disable-content-trust", "image signature checks are done by the CLI", { bool: true }),
  client("sig-proxy", "applies to an attached terminal", { bool: true }),
  client("quiet", "silences the CLI's pull output", { short: "q", bool: true }),
  client("help", "prints the CLI's help", { bool: true }),
];

export const flagsByLong = new Map<string, FlagDef>();
export const flagsByShort = new Map<string, FlagDef>();
for (const def of flagDefs) {
  for (const name of [def.long, ...(def.aliases ?? [])]) flagsByLong.set(name, def);
  if (def.short) flagsByShort.set(def.short, def);
}
