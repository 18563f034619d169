/**
 * RunSpec: everything a `docker run` user types, as one flat form model grouped
 * like the create form, in Docker's own words. Flat so an error path reads like
 * the flag (`memory`, `ports[0].hostPort`); `runSpecGroups` gives the sections.
 *
 * Every field is optional and `undefined` means "what docker run does without the
 * flag" (the image's default for command/entrypoint, Docker's default otherwise),
 * so a spec lists only what the user chose and converts to the shortest command.
 * Pure zod: imported by app/ for the form and the live command preview.
 */
import { z } from "zod";
import { containerNamePattern } from "../protocol/ids";
import { imageReferenceError } from "./image-reference";
import { cpusToNano, parseBytes, parseDuration, parseSwapBytes } from "./units";

/** The local volume driver's names, same rule (a one-character name is "too short"). */
export const volumeNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * Why an `--expose` value is refused, as nat.ParsePortRange would: ports are 16-bit
 * and a range runs upwards. Each port of a range becomes one ExposedPorts entry, so an
 * unbounded range would have the runtime build billions of them.
 */
export function exposeError(v: string): string | undefined {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(v);
  if (!m) return "must be a port or range like 80, 7000-7010 or 53/udp";
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || from > 65535 || to < 1 || to > 65535) return `"${v}": ports must be between 1 and 65535`;
  if (to < from) return `"${v}": the range must end at or after its start`;
  return undefined;
}

const str = z.string();
/**
 * A host or domain name the kernel will take: at most 64 bytes (its UTS limit), no NUL.
 * Longer, the engine creates the container and runc then fails to start it
 * ("sethostname: invalid argument"): refused here, naming the field, before anything is made.
 */
const utsName = z
  .string()
  .refine((v) => new TextEncoder().encode(v).length <= 64, "at most 64 bytes (the kernel's limit for a host or domain name)")
  .refine((v) => !v.includes("\0"), "must not contain a NUL character");
const strList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());
const port = () =>
  z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 65535" })
    .max(65535, { error: "must be between 1 and 65535" });

/** A size as the CLI takes it: bytes, or a number with a unit (`512m`, `1.5g`). */
const size = z.union([z.number(), z.string()], { error: "must be a size: bytes, or a number with a unit b, k, m, g (e.g. 512m)" }).superRefine((v, ctx) => {
  if (parseBytes(v) === undefined)
    ctx.addIssue({ code: "custom", message: `invalid size "${v}": use bytes or a number with a unit b, k, m, g (e.g. 512m)` });
});
const swapSize = z.union([z.number(), z.string()], { error: "must be a size like 1g, or -1 for unlimited swap" }).superRefine((v, ctx) => {
  if (parseSwapBytes(v) === undefined)
    ctx.addIssue({ code: "custom", message: `invalid size "${v}": use a size like 1g, or -1 for unlimited swap` });
});
const duration = z.string().superRefine((v, ctx) => {
  const ns = parseDuration(v);
  if (ns === undefined) ctx.addIssue({ code: "custom", message: `invalid duration "${v}": use a number with a unit ms, s, m or h (e.g. 30s)` });
  else if (ns < 0) ctx.addIssue({ code: "custom", message: "must not be negative" });
});

export const protocols = ["tcp", "udp", "sctp"] as const;
export const propagations = ["shared", "rshared", "slave", "rslave", "private", "rprivate"] as const;
export const restartPolicies = ["no", "always", "on-failure", "unless-stopped"] as const;
export const ulimitNames = [
  "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
  "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
] as const;

/** `-p [hostIp:][hostPort[-hostPortEnd]:]containerPort[-containerPortEnd][/protocol]` */
export const portSchema = z.object({
  hostIp: str.optional(),
  /** undefined: any free port (`-p 80`); 0 is the same, written out (`-p 127.0.0.1:0:80`). */
  hostPort: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be between 1 and 65535 (or 0 for any free port)" })
    .max(65535, { error: "must be between 1 and 65535 (or 0 for any free port)" })
    .optional(),
  hostPortEnd: port().optional(),
  containerPort: port(),
  containerPortEnd: port().optional(),
  protocol: z.enum(protocols, { error: "must be tcp, udp or sctp" }).optional(),
});

/** `-v [source:]target[:ro|rw,z|Z,propagation,nocopy]`; no source = anonymous volume. */
export const volumeSchema = z.object({
  /** A volume name, or an absolute host path for a bind mount. */
  source: str.optional(),
  target: str.min(1, { error: "is required" }),
  mode: z.enum(["ro", "rw"], { error: "must be ro or rw" }).optional(),
  selinuxLabel: z.enum(["z", "Z"], { error: "must be z or Z" }).optional(),
  propagation: z.enum(propagations, { error: `must be one of ${propagations.join(", ")}` }).optional(),
  nocopy: z.boolean().optional(),
});

/** `--mount type=…,source=…,target=…,…`, option names as in the flag, camel-cased. */
export const mountSchema = z.object({
  type: z.enum(["volume", "bind", "tmpfs"], { error: "must be volume, bind or tmpfs" }),
  source: str.optional(),
  target: str.min(1, { error: "is required" }),
  readOnly: z.boolean().optional(),
  consistency: z.enum(["default", "consistent", "cached", "delegated"]).optional(),
  bindPropagation: z.enum(propagations, { error: `must be one of ${propagations.join(", ")}` }).optional(),
  bindNonRecursive: z.boolean().optional(),
  volumeNoCopy: z.boolean().optional(),
  volumeSubpath: str.optional(),
  volumeDriver: str.optional(),
  volumeOpts: stringMap.optional(),
  volumeLabels: stringMap.optional(),
  tmpfsSize: size.optional(),
  /** Octal, as typed on the command line (`1770`). */
  tmpfsMode: str.regex(/^[0-7]{1,4}$/, { error: "must be an octal mode like 1777" }).optional(),
});

export const tmpfsSchema = z.object({
  target: str.min(1, { error: "is required" }),
  /** Mount options as typed: `rw,noexec,nosuid,size=65536k`. */
  options: str.optional(),
});

export const volumesFromSchema = z.object({
  container: str.min(1, { error: "is required" }),
  mode: z.enum(["ro", "rw"], { error: "must be ro or rw" }).optional(),
});

export const linkSchema = z.object({ container: str.min(1, { error: "is required" }), alias: str.optional() });
export const hostEntrySchema = z.object({ host: str.min(1, { error: "is required" }), ip: str.min(1, { error: "is required" }) });

export const ulimitSchema = z.object({
  name: z.enum(ulimitNames, { error: `must be one of ${ulimitNames.join(", ")}` }),
  soft: z.number().int(),
  /** undefined: same as soft (`--ulimit nofile=1024`). */
  hard: z.number().int().optional(),
});

export const deviceSchema = z.object({
  pathOnHost: str.min(1, { error: "is required" }),
  pathInContainer: str.optional(),
  cgroupPermissions: str.regex(/^(?!.*(.).*\1)[rwm]{1,3}$/, { error: "must be a combination of r, w and m" }).optional(),
});

/** `--gpus all`, `--gpus 2`, `--gpus '"device=0,1",capabilities=compute'`. */
export const gpusSchema = z.object({
  count: z.union([z.literal("all"), z.number().int().min(1)], { error: "must be all or a number of GPUs (1 or more)" }).optional(),
  deviceIds: strList.optional(),
  capabilities: strList.optional(),
  driver: str.optional(),
  options: stringMap.optional(),
});

export const healthcheckSchema = z.object({
  /** `--no-healthcheck`: disable the image's HEALTHCHECK. */
  none: z.boolean().optional(),
  /** A string runs in a shell (`--health-cmd`, CMD-SHELL); an array is the exec form (CMD), API only. */
  cmd: z.union([str.min(1, { error: "must not be empty" }), z.array(str).min(1)], { error: "must be a shell command, or a non-empty list of strings (exec form)" }).optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  startPeriod: duration.optional(),
  /** Needs API 1.44 (Docker 25); older engines ignore it and the CLI refuses it. */
  startInterval: duration.optional(),
  retries: z.number().int().min(0, { error: "must not be negative" }).optional(),
});

const base = {
  name: str.regex(containerNamePattern, {
    error: "Docker refuses this name: use at least two characters from [a-zA-Z0-9_.-], starting with a letter or digit",
  }).optional(),
  image: str.trim().min(1, { error: "is required" }).superRefine((v, ctx) => {
    const error = v === "" ? undefined : imageReferenceError(v);
    if (error) ctx.addIssue({ code: "custom", message: error });
  }),
  platform: str.optional(),
  /** `--pull always`. */
  alwaysPull: z.boolean().optional(),
  /** undefined: the image's CMD. */
  command: strList.optional(),
  /** undefined: the image's ENTRYPOINT; `[""]` resets it (`--entrypoint ""`). */
  entrypoint: strList.optional(),
  workingDir: str.optional(),
  user: str.optional(),
  interactive: z.boolean().optional(),
  tty: z.boolean().optional(),
  /** `-d`: nothing attached (AttachStdout/AttachStderr false). */
  detach: z.boolean().optional(),
  /** `--rm`. */
  autoRemove: z.boolean().optional(),
  /** undefined: the engine's default; false is written out as `--init=false`. */
  init: z.boolean().optional(),
  labels: stringMap.optional(),
  /** `KEY=value`, or `KEY` alone (the CLI would copy it from its own environment; Berth has none). */
  env: strList.optional(),
  hostname: utsName.optional(),
  domainname: utsName.optional(),
};

const ports = {
  publishAll: z.boolean().optional(),
  ports: z.array(portSchema).optional(),
  /** `--expose 80`, `--expose 7000-7001/udp`. */
  expose: z.array(str.superRefine((v, ctx) => {
    const error = exposeError(v);
    if (error) ctx.addIssue({ code: "custom", message: error });
  })).optional(),
};

const storage = {
  volumes: z.array(volumeSchema).optional(),
  mounts: z.array(mountSchema).optional(),
  tmpfs: z.array(tmpfsSchema).optional(),
  volumesFrom: z.array(volumesFromSchema).optional(),
  volumeDriver: str.optional(),
};

const network = {
  /** `bridge`, `host`, `none`, `container:NAME` or a network name; undefined: the default bridge. */
  network: str.min(1, { error: "must not be empty" }).optional(),
  ip: z.ipv4({ error: "must be an IPv4 address" }).optional(),
  ip6: z.ipv6({ error: "must be an IPv6 address" }).optional(),
  networkAliases: strList.optional(),
  links: z.array(linkSchema).optional(),
  dns: z.array(z.union([z.ipv4(), z.ipv6()], { error: "must be an IP address" })).optional(),
  dnsSearch: strList.optional(),
  dnsOptions: strList.optional(),
  addHosts: z.array(hostEntrySchema).optional(),
  macAddress: z.mac({ error: "must look like 92:d0:c6:0a:29:33" }).optional(),
};

const restart = {
  restart: z.enum(restartPolicies, { error: `must be one of ${restartPolicies.join(", ")}` }).optional(),
  /** Only with on-failure (`--restart on-failure:3`). */
  restartMaxRetries: z.number().int().min(0, { error: "must not be negative" }).optional(),
};

const resources = {
  memory: size.optional(),
  memoryReservation: size.optional(),
  memorySwap: swapSize.optional(),
  memorySwappiness: z.number().int().min(0, { error: "must be between 0 and 100" }).max(100, { error: "must be between 0 and 100" }).optional(),
  cpus: z.number().positive({ error: "must be more than 0" }).refine((n) => cpusToNano(n) !== undefined, {
    error: "is too precise (at most 9 decimals)",
  }).optional(),
  /** The kernel's range (runc refuses others at start); 0 is Docker's default, 1024. */
  cpuShares: z.number().int().refine((n) => n === 0 || (n >= 2 && n <= 262_144), {
    error: "must be between 2 and 262144 (or 0 for the default)",
  }).optional(),
  cpuPeriod: z.number().int().min(0).optional(),
  cpuQuota: z.number().int().optional(),
  cpusetCpus: str.regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, { error: "must look like 0-3 or 0,1" }).optional(),
  cpusetMems: str.regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, { error: "must look like 0-3 or 0,1" }).optional(),
  /** -1: unlimited; the kernel refuses a pids.max over its PID_MAX_LIMIT, 4194304. */
  pidsLimit: z.number().int().min(-1, { error: "must be -1 (unlimited) or more" }).max(4_194_304, { error: "must be at most 4194304 (the kernel's largest process count)" }).optional(),
  shmSize: size.optional(),
  ulimits: z.array(ulimitSchema).optional(),
  oomKillDisable: z.boolean().optional(),
  oomScoreAdj: z.number().int().min(-1000, { error: "must be between -1000 and 1000" }).max(1000, { error: "must be between -1000 and 1000" }).optional(),
  devices: z.array(deviceSchema).optional(),
  deviceCgroupRules: z.array(str.regex(/^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$/, { error: "must look like 'c 1:3 mr'" })).optional(),
  gpus: gpusSchema.optional(),
  blkioWeight: z.number().int().refine((n) => n === 0 || (n >= 10 && n <= 1000), {
    error: "must be between 10 and 1000 (or 0)",
  }).optional(),
  cgroupParent: str.optional(),
};

const security = {
  privileged: z.boolean().optional(),
  capAdd: strList.optional(),
  capDrop: strList.optional(),
  securityOpt: strList.optional(),
  /** `--read-only`: read-only root filesystem. */
  readOnly: z.boolean().optional(),
  sysctls: stringMap.optional(),
  pid: str.optional(),
  ipc: str.optional(),
  uts: str.optional(),
  cgroupns: z.enum(["host", "private"], { error: "must be host or private" }).optional(),
  userns: str.optional(),
  groupAdd: strList.optional(),
  runtime: str.optional(),
  stopSignal: str.optional(),
  stopTimeout: z.number().int().optional(),
};

const logging = {
  logDriver: str.optional(),
  logOpts: stringMap.optional(),
};

export const runSpecSchema = z.object({
  ...base,
  ...ports,
  ...storage,
  ...network,
  ...restart,
  ...resources,
  ...security,
  ...logging,
  healthcheck: healthcheckSchema.optional(),
});

export type RunSpec = z.infer<typeof runSpecSchema>;
export type PortSpec = z.infer<typeof portSchema>;
export type VolumeSpec = z.infer<typeof volumeSchema>;
export type MountSpec = z.infer<typeof mountSchema>;
export type TmpfsSpec = z.infer<typeof tmpfsSchema>;
export type UlimitSpec = z.infer<typeof ulimitSchema>;
export type DeviceSpec = z.infer<typeof deviceSchema>;
export type GpusSpec = z.infer<typeof gpusSchema>;
export type HealthcheckSpec = z.infer<typeof healthcheckSchema>;

/** The form's sections, in order, and the fields each one shows. */
export const runSpecGroups: Record<string, readonly (keyof RunSpec)[]> = {
  base: keys(base),
  ports: keys(ports),
  storage: keys(storage),
  network: keys(network),
  restart: keys(restart),
  resources: keys(resources),
  security: keys(security),
  logging: keys(logging),
  healthcheck: ["healthcheck"],
};

function keys<T extends object>(shape: T): (keyof T & string)[] {
  return Object.keys(shape) as (keyof T & string)[];
}
