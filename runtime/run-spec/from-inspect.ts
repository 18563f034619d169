/**
 * specFromInspect: a container's `docker inspect` (plus its image's) → the RunSpec
 * that recreates it, leaving out what the image supplies (CMD, ENTRYPOINT, ENV,
 * WORKDIR, USER, EXPOSE, LABEL, VOLUME, HEALTHCHECK, STOPSIGNAL) and what the engine
 * fills in by default (hostname = id prefix, default network, json-file logging,
 * 64m /dev/shm, runc, private IPC, …), so the command shows only what was chosen.
 */
import type { ContainerInspect, EngineConfig, EngineHealthcheck, EngineMount, ImageInspect, StringMap } from "./engine-types";
import type { HealthcheckSpec, MountSpec, PortSpec, RunSpec, UlimitSpec } from "./schema";
import { parseDevice, parseHostEntry, parseTmpfs, parseVolumesFrom } from "./syntax-misc";
import { parseVolumeSpec } from "./syntax-storage";
import { formatBytes, formatDuration, nanoToCpus } from "./units";
import { berthLabels } from "../protocol/berth-labels";

/** The engine's own defaults, from `GET /info`; what is left out when the container has the same. */
export interface EngineDefaults {
  /** `docker info` CgroupVersion "2" → private, "1" → host. */
  cgroupnsMode?: "host" | "private";
  /** Daemon's default-ipc-mode (private unless configured). */
  ipcMode?: string;
  /** Daemon's default-shm-size in bytes (64 MiB unless configured). */
  shmSize?: number;
  /** DefaultRuntime (runc). */
  runtime?: string;
  /** LoggingDriver (json-file). */
  logDriver?: string;
  /** The engine host's name: what a --network host container gets as its hostname. */
  hostname?: string;
  /**
   * Container id → name. The engine stores `--network container:NAME` (and --ipc/--pid) with
   * the other container's id; with this the command shows the name again.
   */
  containerName?: (id: string) => string | undefined;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const nonEmpty = <T>(list: T[] | null | undefined): T[] | undefined => (list && list.length > 0 ? [...list] : undefined);
const nonZero = (n: number | null | undefined) => (n ? n : undefined);
const mapOrUndefined = (m: StringMap | null | undefined) => (m && Object.keys(m).length > 0 ? { ...m } : undefined);

export function specFromInspect(container: ContainerInspect, image: ImageInspect | null | undefined, engine: EngineDefaults = {}): RunSpec {
  const c = container.Config;
  const h = container.HostConfig;
  const img: EngineConfig = image?.Config ?? {};
  const shortId = container.Id.slice(0, 12);
  const named = (mode: string | undefined) => {
    const id = mode?.startsWith("container:") ? mode.slice("container:".length) : undefined;
    const name = id ? engine.containerName?.(id)?.replace(/^\//, "") : undefined;
    return name ? `container:${name}` : mode;
  };
  const network = h.NetworkMode && h.NetworkMode !== "default" ? named(h.NetworkMode) : undefined;
  const endpoint = container.NetworkSettings?.Networks?.[network ?? "bridge"] ?? undefined;
  const fromPorts = new Set(Object.keys(h.PortBindings ?? {}));

  const spec: RunSpec & Record<string, unknown> = { image: c.Image ?? "" };
  const put = <K extends keyof RunSpec>(key: K, value: RunSpec[K] | undefined) => {
    if (value !== undefined) spec[key] = value;
  };
  put("name", container.Name?.replace(/^\//, "") || undefined);

  // Command and entrypoint: the engine copies the image's CMD only when no entrypoint was given.
  const lostImageCmd = !c.Cmd?.length && !!img.Cmd?.length;
  if (!same(c.Entrypoint, img.Entrypoint) || lostImageCmd) put("entrypoint", c.Entrypoint?.length ? [...c.Entrypoint] : [""]);
  if (spec.entrypoint ? c.Cmd?.length : !same(c.Cmd, img.Cmd)) put("command", nonEmpty(c.Cmd));

  put("workingDir", c.WorkingDir && c.WorkingDir !== img.WorkingDir ? c.WorkingDir : undefined);
  put("user", c.User && c.User !== img.User ? c.User : undefined);
  put("interactive", c.OpenStdin || undefined);
  put("tty", c.Tty || undefined);
  put("detach", !c.AttachStdin && !c.AttachStdout && !c.AttachStderr ? true : undefined);
  put("autoRemove", h.AutoRemove || undefined);
  put("init", h.Init ?? undefined);
  const imageLabels = img.Labels ?? {};
  // Berth's own bookkeeping labels are not the user's settings.
  put("labels", mapOrUndefined(Object.fromEntries(Object.entries(c.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v && !berthLabels.has(k)))));
  const imageEnv = new Set(img.Env ?? []);
  put("env", nonEmpty((c.Env ?? []).filter((e) => !imageEnv.has(e))));
  // The engine names a container after its id, or after the host on the host network.
  const defaultHostname = network === "host" ? engine.hostname : shortId;
  const sharedUts = network?.startsWith("container:") || (network === "host" && !engine.hostname);
  if (c.Hostname && c.Hostname !== defaultHostname && !sharedUts) spec.hostname = c.Hostname;
  put("domainname", c.Domainname || undefined);

  put("publishAll", h.PublishAllPorts || undefined);
  put("ports", nonEmpty(portsFromEngine(h.PortBindings ?? {})));
  const imagePorts = new Set(Object.keys(img.ExposedPorts ?? {}));
  put("expose", nonEmpty(Object.keys(c.ExposedPorts ?? {}).filter((p) => !imagePorts.has(p) && !fromPorts.has(p)).map((p) => p.replace(/\/tcp$/, ""))));

  const imageVolumes = new Set(Object.keys(img.Volumes ?? {}));
  const volumes = [
    ...(h.Binds ?? []).flatMap((b) => {
      const r = parseVolumeSpec(b);
      return "value" in r ? [r.value] : [];
    }),
    ...Object.keys(c.Volumes ?? {}).filter((v) => !imageVolumes.has(v)).map((target) => ({ target })),
  ];
  put("volumes", nonEmpty(volumes));
  put("mounts", nonEmpty((h.Mounts ?? []).map(mountFromEngine)));
  put("tmpfs", nonEmpty(Object.entries(h.Tmpfs ?? {}).map(([k, v]) => parseTmpfs(v ? `${k}:${v}` : k))));
  put("volumesFrom", nonEmpty((h.VolumesFrom ?? []).flatMap((v) => {
    const r = parseVolumesFrom(v);
    return "value" in r ? [r.value] : [];
  })));
  put("volumeDriver", h.VolumeDriver || undefined);

  put("network", network);
  put("ip", endpoint?.IPAMConfig?.IPv4Address || undefined);
  put("ip6", endpoint?.IPAMConfig?.IPv6Address || undefined);
  put("networkAliases", nonEmpty((endpoint?.Aliases ?? []).filter((a) => a !== shortId && a !== container.Id)));
  // Legacy links read "/other:/self/alias"; on a user-defined network they stay on the endpoint as typed.
  const links = [...(h.Links ?? []), ...(network ? (endpoint?.Links ?? []) : [])].map((l) => {
    const [target, alias] = l.split(":");
    const name = target.replace(/^\//, "");
    const aliasName = alias?.split("/").pop();
    return aliasName && aliasName !== name ? { container: name, alias: aliasName } : { container: name };
  });
  put("links", nonEmpty(links));
  put("dns", nonEmpty(h.Dns));
  put("dnsSearch", nonEmpty(h.DnsSearch));
  put("dnsOptions", nonEmpty(h.DnsOptions));
  put("addHosts", nonEmpty((h.ExtraHosts ?? []).flatMap((e) => {
    const r = parseHostEntry(e);
    return "value" in r ? [r.value] : [];
  })));
  put("macAddress", c.MacAddress || undefined);

  const restart = h.RestartPolicy?.Name;
  if (restart && restart !== "no") put("restart", restart as RunSpec["restart"]);
  if (restart === "on-failure") put("restartMaxRetries", nonZero(h.RestartPolicy?.MaximumRetryCount));

  put("memory", h.Memory ? formatBytes(h.Memory) : undefined);
  put("memoryReservation", h.MemoryReservation ? formatBytes(h.MemoryReservation) : undefined);
  // With a memory limit and no swap limit, the engine sets swap to twice the memory.
  put("memorySwap", h.MemorySwap && h.MemorySwap !== 2 * (h.Memory ?? 0) ? formatBytes(h.MemorySwap) : undefined);
  put("memorySwappiness", h.MemorySwappiness != null && h.MemorySwappiness >= 0 ? h.MemorySwappiness : undefined);
  put("cpus", h.NanoCpus ? nanoToCpus(h.NanoCpus) : undefined);
  put("cpuShares", nonZero(h.CpuShares));
  put("cpuPeriod", nonZero(h.CpuPeriod));
  put("cpuQuota", nonZero(h.CpuQuota));
  put("cpusetCpus", h.CpusetCpus || undefined);
  put("cpusetMems", h.CpusetMems || undefined);
  put("pidsLimit", h.PidsLimit && h.PidsLimit > 0 ? h.PidsLimit : undefined);
  put("shmSize", h.ShmSize && h.ShmSize !== (engine.shmSize ?? 64 * 1024 * 1024) ? formatBytes(h.ShmSize) : undefined);
  put("ulimits", nonEmpty((h.Ulimits ?? []).map((u): UlimitSpec => ({
    name: u.Name as UlimitSpec["name"],
    soft: u.Soft,
    ...(u.Hard !== u.Soft ? { hard: u.Hard } : {}),
  }))));
  put("oomKillDisable", h.OomKillDisable || undefined);
  put("oomScoreAdj", nonZero(h.OomScoreAdj));
  put("devices", nonEmpty((h.Devices ?? []).flatMap((d) => {
    const r = parseDevice(`${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`);
    return "value" in r ? [r.value] : [];
  })));
  put("deviceCgroupRules", nonEmpty(h.DeviceCgroupRules));
  const gpu = (h.DeviceRequests ?? []).find((r) => r.Capabilities?.some((set) => set.includes("gpu")));
  if (gpu) {
    const caps = (gpu.Capabilities?.[0] ?? []).filter((x) => x !== "gpu");
    spec.gpus = {
      ...(gpu.Count === -1 ? { count: "all" as const } : gpu.Count && !(gpu.Count === 1 && !gpu.DeviceIDs) ? { count: gpu.Count } : {}),
      ...(gpu.DeviceIDs ? { deviceIds: [...gpu.DeviceIDs] } : {}),
      ...(caps.length ? { capabilities: caps } : {}),
      ...(gpu.Driver ? { driver: gpu.Driver } : {}),
      ...(mapOrUndefined(gpu.Options) ? { options: { ...gpu.Options } } : {}),
    };
  }
  put("blkioWeight", nonZero(h.BlkioWeight));
  put("cgroupParent", h.CgroupParent || undefined);

  put("privileged", h.Privileged || undefined);
  put("capAdd", nonEmpty(h.CapAdd?.map(stripCap)));
  put("capDrop", nonEmpty(h.CapDrop?.map(stripCap)));
  // The engine adds label=disable for privileged or host pid/ipc containers; empty path lists are systempaths=unconfined.
  const labelDisabledByEngine = h.Privileged || h.PidMode === "host" || h.IpcMode === "host";
  const securityOpt = (h.SecurityOpt ?? []).filter((o) => !(labelDisabledByEngine && o === "label=disable"));
  if (Array.isArray(h.MaskedPaths) && h.MaskedPaths.length === 0 && Array.isArray(h.ReadonlyPaths) && h.ReadonlyPaths.length === 0)
    securityOpt.push("systempaths=unconfined");
  put("securityOpt", nonEmpty(securityOpt));
  put("readOnly", h.ReadonlyRootfs || undefined);
  put("sysctls", mapOrUndefined(h.Sysctls));
  put("pid", named(h.PidMode) || undefined);
  put("ipc", h.IpcMode && h.IpcMode !== (engine.ipcMode ?? "private") ? named(h.IpcMode) : undefined);
  put("uts", h.UTSMode || undefined);
  const cgroupns = h.CgroupnsMode as RunSpec["cgroupns"] | "";
  put("cgroupns", cgroupns && engine.cgroupnsMode && cgroupns !== engine.cgroupnsMode ? cgroupns : undefined);
  put("userns", h.UsernsMode || undefined);
  put("groupAdd", nonEmpty(h.GroupAdd));
  put("runtime", h.Runtime && h.Runtime !== (engine.runtime ?? "runc") ? h.Runtime : undefined);
  put("stopSignal", c.StopSignal && c.StopSignal !== img.StopSignal ? c.StopSignal : undefined);
  put("stopTimeout", c.StopTimeout ?? undefined);

  const logType = h.LogConfig?.Type;
  put("logDriver", logType && logType !== (engine.logDriver ?? "json-file") ? logType : undefined);
  put("logOpts", mapOrUndefined(h.LogConfig?.Config));
  put("healthcheck", healthFromEngine(c.Healthcheck, img.Healthcheck));
  return spec;
}

function stripCap(cap: string): string {
  return cap.replace(/^CAP_/, "");
}

function portsFromEngine(bindings: Record<string, { HostIp: string; HostPort: string }[] | null>): PortSpec[] {
  const out: PortSpec[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const [portText, proto = "tcp"] = key.split("/");
    for (const b of list ?? [{ HostIp: "", HostPort: "" }]) {
      const p: PortSpec = { containerPort: Number(portText) };
      if (b.HostIp) p.hostIp = b.HostIp;
      const m = /^(\d+)(?:-(\d+))?$/.exec(b.HostPort ?? "");
      if (m) {
        p.hostPort = Number(m[1]);
        if (m[2] !== undefined) p.hostPortEnd = Number(m[2]);
      }
      if (proto !== "tcp") p.protocol = proto as PortSpec["protocol"];
      out.push(p);
    }
  }
  return out;
}

function mountFromEngine(m: EngineMount): MountSpec {
  const out: MountSpec = { type: m.Type as MountSpec["type"], target: m.Target };
  if (m.Source) out.source = m.Source;
  if (m.ReadOnly) out.readOnly = true;
  if (m.Consistency) out.consistency = m.Consistency as MountSpec["consistency"];
  if (m.BindOptions) {
    if (m.BindOptions.Propagation) out.bindPropagation = m.BindOptions.Propagation as MountSpec["bindPropagation"];
    out.bindNonRecursive = m.BindOptions.NonRecursive ?? false;
    if (out.bindPropagation && !m.BindOptions.NonRecursive) delete out.bindNonRecursive;
  }
  const vo = m.VolumeOptions;
  if (vo) {
    if (vo.Subpath) out.volumeSubpath = vo.Subpath;
    if (vo.DriverConfig?.Name) out.volumeDriver = vo.DriverConfig.Name;
    if (vo.DriverConfig?.Options) out.volumeOpts = { ...vo.DriverConfig.Options };
    if (vo.Labels && Object.keys(vo.Labels).length > 0) out.volumeLabels = { ...vo.Labels };
    // Keep VolumeOptions present even when it says nothing, as the original request had it.
    if (vo.NoCopy || !(out.volumeSubpath || out.volumeDriver || out.volumeOpts || out.volumeLabels)) out.volumeNoCopy = vo.NoCopy ?? false;
  }
  if (m.TmpfsOptions) {
    if (m.TmpfsOptions.SizeBytes) out.tmpfsSize = formatBytes(m.TmpfsOptions.SizeBytes);
    if (m.TmpfsOptions.Mode) out.tmpfsMode = m.TmpfsOptions.Mode.toString(8);
  }
  return out;
}

function healthFromEngine(hc: EngineHealthcheck | null | undefined, image: EngineHealthcheck | null | undefined): HealthcheckSpec | undefined {
  if (!hc || same(hc, image)) return undefined;
  const out: HealthcheckSpec = {};
  const test = hc.Test ?? [];
  if (!same(hc.Test, image?.Test) && test.length > 0) {
    if (test[0] === "NONE") return { none: true };
    if (test[0] === "CMD-SHELL") out.cmd = test.slice(1).join(" ");
    else if (test[0] === "CMD") out.cmd = test.slice(1);
  }
  const dur = (key: "Interval" | "Timeout" | "StartPeriod" | "StartInterval") =>
    hc[key] && hc[key] !== image?.[key] ? formatDuration(hc[key]) : undefined;
  const fields = { interval: dur("Interval"), timeout: dur("Timeout"), startPeriod: dur("StartPeriod"), startInterval: dur("StartInterval") };
  for (const [k, v] of Object.entries(fields)) if (v) out[k as "interval"] = v;
  if (hc.Retries && hc.Retries !== image?.Retries) out.retries = hc.Retries;
  return Object.keys(out).length > 0 ? out : undefined;
}
