/**
 * toCreateRequest: RunSpec → the `POST /containers/create` request the docker CLI 28
 * sends for the same flags against engine API 1.41, field for field, including the
 * zero values it always sends (`MemorySwappiness: -1`, `RestartPolicy.Name: "no"`,
 * `NetworkMode: "default"`, empty `Dns` lists…): the engine stores some of them as
 * given, so leaving them out would make a different container.
 * Captured from the real CLI against a fake engine; see tests/integration/run-corpus.test.ts.
 */
import type { CreateContainerBody, EngineEndpointSettings, EngineMount, PortMap } from "./engine-types";
import type { MountSpec, PortSpec, RunSpec } from "./schema";
import { normalizeCapabilities } from "./syntax-misc";
import { volumeModesText } from "./syntax-storage";
import { cpusToNano, parseBytes, parseDuration, parseSwapBytes } from "./units";

export interface CreateRequest {
  /** `?name=`; undefined lets Docker pick one. */
  name?: string;
  /** `?platform=`. */
  platform?: string;
  body: CreateContainerBody;
}

const listOrNull = <T>(list: T[] | undefined): T[] | null => (list && list.length > 0 ? list : null);
const bytes = (v: string | number | undefined) => (v === undefined ? 0 : (parseBytes(v) ?? 0));
const ns = (d: string | undefined) => (d === undefined ? 0 : (parseDuration(d) ?? 0));

export function toCreateRequest(spec: RunSpec): CreateRequest {
  const detach = spec.detach === true;
  const interactive = spec.interactive === true;
  const { exposed, bindings } = portsToEngine(spec.ports ?? [], spec.expose ?? []);
  const binds = new Set<string>();
  const anonymous: Record<string, object> = {};
  for (const v of spec.volumes ?? []) {
    const modes = volumeModesText(v);
    // The CLI sends every -v with a source (or options) as a bind string; a bare path becomes an image-style volume.
    if (v.source === undefined && !modes) anonymous[v.target] = {};
    else {
      const bind = [v.source, v.target, modes || undefined].filter((p) => p !== undefined).join(":");
      // The CLI collects -v values in a set: the same text twice is one bind.
      binds.add(bind);
    }
  }
  const securityOpt = (spec.securityOpt ?? []).filter((o) => o !== "systempaths=unconfined");
  const unconfinedPaths = (spec.securityOpt ?? []).includes("systempaths=unconfined");
  const health = spec.healthcheck ? healthToEngine(spec.healthcheck) : {};
  const tmpfs = Object.fromEntries((spec.tmpfs ?? []).map((t) => [t.target, t.options ?? ""]));

  const body: CreateContainerBody = {
    Hostname: spec.hostname ?? "",
    Domainname: spec.domainname ?? "",
    User: spec.user ?? "",
    AttachStdin: !detach && interactive,
    AttachStdout: !detach,
    AttachStderr: !detach,
    ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
    Tty: spec.tty === true,
    OpenStdin: interactive,
    StdinOnce: !detach && interactive,
    Env: listOrNull(dedupeEnv(spec.env ?? [])),
    Cmd: spec.command ?? null,
    // Like the CLI: no Healthcheck at all unless a setting differs from zero (the image's stays).
    ...(Object.keys(health).length > 0 ? { Healthcheck: health } : {}),
    Image: spec.image,
    Volumes: anonymous,
    WorkingDir: spec.workingDir ?? "",
    Entrypoint: spec.entrypoint ?? null,
    OnBuild: null,
    Labels: { ...spec.labels },
    // API < 1.44 takes the MAC address here (CLI 28 refuses --mac-address against such engines).
    ...(spec.macAddress ? { MacAddress: spec.macAddress } : {}),
    ...(spec.stopSignal ? { StopSignal: spec.stopSignal } : {}),
    ...(spec.stopTimeout !== undefined ? { StopTimeout: spec.stopTimeout } : {}),
    HostConfig: {
      Binds: listOrNull([...binds]),
      ContainerIDFile: "",
      LogConfig: { Type: spec.logDriver ?? "", Config: { ...spec.logOpts } },
      NetworkMode: spec.network ?? "default",
      PortBindings: bindings,
      RestartPolicy: { Name: spec.restart ?? "no", MaximumRetryCount: spec.restartMaxRetries ?? 0 },
      AutoRemove: spec.autoRemove === true,
      VolumeDriver: spec.volumeDriver ?? "",
      VolumesFrom: listOrNull((spec.volumesFrom ?? []).map((v) => (v.mode ? `${v.container}:${v.mode}` : v.container))),
      ConsoleSize: [0, 0],
      CapAdd: listOrNull(normalizeCapabilities(spec.capAdd ?? [])),
      CapDrop: listOrNull(normalizeCapabilities(spec.capDrop ?? [])),
      CgroupnsMode: spec.cgroupns ?? "",
      Dns: spec.dns ?? [],
      DnsOptions: spec.dnsOptions ?? [],
      DnsSearch: spec.dnsSearch ?? [],
      ExtraHosts: listOrNull((spec.addHosts ?? []).map((h) => `${h.host}:${h.ip}`)),
      GroupAdd: listOrNull(spec.groupAdd),
      IpcMode: spec.ipc ?? "",
      Cgroup: "",
      Links: listOrNull(links(spec)),
      OomScoreAdj: spec.oomScoreAdj ?? 0,
      PidMode: spec.pid ?? "",
      Privileged: spec.privileged === true,
      PublishAllPorts: spec.publishAll === true,
      ReadonlyRootfs: spec.readOnly === true,
      SecurityOpt: listOrNull(securityOpt),
      ...(Object.keys(tmpfs).length > 0 ? { Tmpfs: tmpfs } : {}),
      UTSMode: spec.uts ?? "",
      UsernsMode: spec.userns ?? "",
      ShmSize: bytes(spec.shmSize),
      ...(spec.sysctls && Object.keys(spec.sysctls).length > 0 ? { Sysctls: { ...spec.sysctls } } : {}),
      ...(spec.runtime ? { Runtime: spec.runtime } : {}),
      Isolation: "",
      CpuShares: spec.cpuShares ?? 0,
      Memory: bytes(spec.memory),
      NanoCpus: spec.cpus === undefined ? 0 : (cpusToNano(spec.cpus) ?? 0),
      CgroupParent: spec.cgroupParent ?? "",
      BlkioWeight: spec.blkioWeight ?? 0,
      BlkioWeightDevice: [],
      BlkioDeviceReadBps: [],
      BlkioDeviceWriteBps: [],
      BlkioDeviceReadIOps: [],
      BlkioDeviceWriteIOps: [],
      CpuPeriod: spec.cpuPeriod ?? 0,
      CpuQuota: spec.cpuQuota ?? 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: spec.cpusetCpus ?? "",
      CpusetMems: spec.cpusetMems ?? "",
      Devices: (spec.devices ?? []).map((d) => ({
        PathOnHost: d.pathOnHost,
        PathInContainer: d.pathInContainer ?? d.pathOnHost,
        CgroupPermissions: d.cgroupPermissions ?? "rwm",
      })),
      DeviceCgroupRules: listOrNull(spec.deviceCgroupRules),
      DeviceRequests: spec.gpus ? [gpusToEngine(spec.gpus)] : null,
      MemoryReservation: bytes(spec.memoryReservation),
      MemorySwap: spec.memorySwap === undefined ? 0 : (parseSwapBytes(spec.memorySwap) ?? 0),
      MemorySwappiness: spec.memorySwappiness ?? -1,
      OomKillDisable: spec.oomKillDisable === true,
      PidsLimit: spec.pidsLimit ?? 0,
      // The CLI keeps one entry per name and sends them sorted by name.
      Ulimits: [...(spec.ulimits ?? [])]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((u) => ({ Name: u.name, Hard: u.hard ?? u.soft, Soft: u.soft })),
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      ...(spec.mounts && spec.mounts.length > 0 ? { Mounts: spec.mounts.map(mountToEngine) } : {}),
      // `--security-opt systempaths=unconfined` is the CLI's own option: it becomes empty path lists.
      MaskedPaths: unconfinedPaths ? [] : null,
      ReadonlyPaths: unconfinedPaths ? [] : null,
      ...(spec.init !== undefined ? { Init: spec.init } : {}),
    },
    NetworkingConfig: { EndpointsConfig: endpoints(spec) },
  };
  return {
    ...(spec.name ? { name: spec.name } : {}),
    ...(spec.platform ? { platform: spec.platform } : {}),
    body,
  };
}

/** One entry per variable, the last value winning, as the CLI sends it. */
function dedupeEnv(env: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const e of env) byKey.set(e.split("=")[0], e);
  return [...byKey.values()];
}

function links(spec: RunSpec): string[] {
  return (spec.links ?? []).map((l) => (l.alias ? `${l.container}:${l.alias}` : l.container));
}

function healthToEngine(hc: NonNullable<RunSpec["healthcheck"]>): NonNullable<CreateContainerBody["Healthcheck"]> {
  if (hc.none) return { Test: ["NONE"] };
  const out: NonNullable<CreateContainerBody["Healthcheck"]> = {};
  if (hc.cmd !== undefined) out.Test = typeof hc.cmd === "string" ? ["CMD-SHELL", hc.cmd] : ["CMD", ...hc.cmd];
  if (ns(hc.interval)) out.Interval = ns(hc.interval);
  if (ns(hc.timeout)) out.Timeout = ns(hc.timeout);
  if (ns(hc.startPeriod)) out.StartPeriod = ns(hc.startPeriod);
  if (ns(hc.startInterval)) out.StartInterval = ns(hc.startInterval);
  if (hc.retries) out.Retries = hc.retries;
  return out;
}

function gpusToEngine(g: NonNullable<RunSpec["gpus"]>) {
  return {
    Driver: g.driver ?? "",
    Count: g.count === "all" ? -1 : (g.count ?? (g.deviceIds ? 0 : 1)),
    DeviceIDs: g.deviceIds ?? null,
    Capabilities: [[...(g.capabilities ?? []), "gpu"]],
    Options: { ...g.options },
  };
}

export function mountToEngine(m: MountSpec): EngineMount {
  const out: EngineMount = { Type: m.type, ...(m.source ? { Source: m.source } : {}), Target: m.target };
  if (m.readOnly) out.ReadOnly = true;
  if (m.consistency) out.Consistency = m.consistency;
  if (m.bindPropagation || m.bindNonRecursive !== undefined)
    out.BindOptions = {
      ...(m.bindPropagation ? { Propagation: m.bindPropagation } : {}),
      ...(m.bindNonRecursive ? { NonRecursive: true } : {}),
    };
  // Any volume-* option makes the CLI send VolumeOptions with a (maybe empty) DriverConfig.
  if (m.volumeNoCopy !== undefined || m.volumeSubpath !== undefined || m.volumeDriver !== undefined || m.volumeOpts || m.volumeLabels)
    out.VolumeOptions = {
      ...(m.volumeNoCopy ? { NoCopy: true } : {}),
      ...(m.volumeLabels && Object.keys(m.volumeLabels).length > 0 ? { Labels: { ...m.volumeLabels } } : {}),
      ...(m.volumeSubpath ? { Subpath: m.volumeSubpath } : {}),
      DriverConfig: {
        ...(m.volumeDriver ? { Name: m.volumeDriver } : {}),
        ...(m.volumeOpts ? { Options: { ...m.volumeOpts } } : {}),
      },
    };
  if (m.tmpfsSize !== undefined || m.tmpfsMode !== undefined)
    out.TmpfsOptions = {
      ...(m.tmpfsSize !== undefined && bytes(m.tmpfsSize) ? { SizeBytes: bytes(m.tmpfsSize) } : {}),
      ...(m.tmpfsMode !== undefined && Number.parseInt(m.tmpfsMode, 8) ? { Mode: Number.parseInt(m.tmpfsMode, 8) } : {}),
    };
  return out;
}

/** ExposedPorts and PortBindings as nat.ParsePortSpecs builds them: container ranges become one entry per port. */
export function portsToEngine(ports: PortSpec[], expose: string[]): { exposed: Record<string, object>; bindings: PortMap } {
  const exposed: Record<string, object> = {};
  const bindings: PortMap = {};
  for (const p of ports) {
    const proto = p.protocol ?? "tcp";
    const count = (p.containerPortEnd ?? p.containerPort) - p.containerPort + 1;
    const hostRange = p.hostPort !== undefined && p.hostPortEnd !== undefined && p.hostPortEnd !== p.hostPort;
    for (let i = 0; i < count; i++) {
      const key = `${p.containerPort + i}/${proto}`;
      let hostPort = "";
      if (p.hostPort !== undefined) {
        if (count > 1) hostPort = String(p.hostPort + i);
        else hostPort = hostRange ? `${p.hostPort}-${p.hostPortEnd}` : String(p.hostPort);
      }
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: p.hostIp ?? "", HostPort: hostPort });
    }
  }
  for (const e of expose) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(e);
    if (!m) continue;
    for (let port = Number(m[1]); port <= Number(m[2] ?? m[1]); port++) exposed[`${port}/${m[3] ?? "tcp"}`] = {};
  }
  return { exposed, bindings };
}

const userDefined = (n: string) => !["default", "bridge", "host", "none"].includes(n) && !n.startsWith("container:");

/** NetworkingConfig as the CLI builds it: the default network always gets an entry, a named one only when it has settings. */
function endpoints(spec: RunSpec): Record<string, EngineEndpointSettings> {
  const target = spec.network ?? "default";
  const aliases = spec.networkAliases ?? [];
  const epLinks = userDefined(target) ? links(spec) : [];
  const ipam = spec.ip || spec.ip6 ? { ...(spec.ip ? { IPv4Address: spec.ip } : {}), ...(spec.ip6 ? { IPv6Address: spec.ip6 } : {}) } : null;
  const hasSettings = aliases.length > 0 || epLinks.length > 0 || ipam !== null;
  if (spec.network !== undefined && !hasSettings) return {};
  return {
    [target]: {
      IPAMConfig: ipam,
      Links: listOrNull(epLinks),
      Aliases: listOrNull(aliases),
      MacAddress: "",
      DriverOpts: null,
      GwPriority: 0,
      NetworkID: "",
      EndpointID: "",
      Gateway: "",
      IPAddress: "",
      IPPrefixLen: 0,
      IPv6Gateway: "",
      GlobalIPv6Address: "",
      GlobalIPv6PrefixLen: 0,
      DNSNames: null,
    },
  };
}
