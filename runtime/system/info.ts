/**
 * `docker info` and `docker version` in one readable shape. The same two
 * answers the engine status (engine/status.ts) reads its summary from; this
 * is the whole of them for the Engine page. Pure: the raw answers in, no engine.
 */
import type { SystemInfo } from "./protocol";

type Raw = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Raw => (v && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export function systemInfo(info: Raw, version: Raw): SystemInfo {
  const registry = obj(info.RegistryConfig);
  const indexConfigs = obj(registry.IndexConfigs);
  // Insecure: the CIDRs, and the registries configured as not secure (the official index is listed as secure).
  const insecure = [
    ...strings(registry.InsecureRegistryCIDRs),
    ...Object.values(indexConfigs)
      .map(obj)
      .filter((c) => c.Secure === false)
      .map((c) => str(c.Name)),
  ];
  const swarm = obj(info.Swarm);
  const plugins = obj(info.Plugins);
  const components = Array.isArray(version.Components) ? version.Components.map(obj) : [];
  const engine = obj(components.find((c) => c.Name === "Engine")?.Details);
  return {
    name: str(info.Name),
    id: str(info.ID),
    serverVersion: str(version.Version) || str(info.ServerVersion),
    apiVersion: str(version.ApiVersion) || str(engine.ApiVersion),
    minApiVersion: str(version.MinAPIVersion) || str(engine.MinAPIVersion),
    gitCommit: str(version.GitCommit),
    goVersion: str(version.GoVersion),
    buildTime: str(version.BuildTime),
    experimental: version.Experimental === true || version.Experimental === "true" || info.ExperimentalBuild === true,
    components: components.filter((c) => c.Name !== "Engine").map((c) => ({ name: str(c.Name), version: str(c.Version) })),
    os: str(info.OperatingSystem) || str(version.Os),
    osType: str(info.OSType) || str(version.Os),
    osVersion: str(info.OSVersion),
    arch: str(version.Arch) || str(info.Architecture),
    kernel: str(info.KernelVersion) || str(version.KernelVersion),
    cpus: num(info.NCPU),
    memory: num(info.MemTotal),
    storageDriver: str(info.Driver),
    storageStatus: (Array.isArray(info.DriverStatus) ? info.DriverStatus : [])
      .filter((p): p is unknown[] => Array.isArray(p))
      .map((p) => [str(p[0]), str(p[1])] as [string, string]),
    dataRoot: str(info.DockerRootDir),
    loggingDriver: str(info.LoggingDriver),
    cgroupDriver: str(info.CgroupDriver),
    cgroupVersion: str(info.CgroupVersion),
    runtimes: Object.keys(obj(info.Runtimes)).sort(),
    defaultRuntime: str(info.DefaultRuntime),
    registryMirrors: strings(registry.Mirrors),
    insecureRegistries: [...new Set(insecure)],
    indexServerAddress: str(info.IndexServerAddress),
    swarm: {
      state: str(swarm.LocalNodeState) || "inactive",
      nodeId: str(swarm.NodeID),
      nodeAddr: str(swarm.NodeAddr),
      controlAvailable: swarm.ControlAvailable === true,
      error: str(swarm.Error),
      ...(typeof swarm.Managers === "number" ? { managers: swarm.Managers } : {}),
      ...(typeof swarm.Nodes === "number" ? { nodes: swarm.Nodes } : {}),
    },
    plugins: { volume: strings(plugins.Volume), network: strings(plugins.Network), log: strings(plugins.Log), authorization: strings(plugins.Authorization) },
    containers: { total: num(info.Containers), running: num(info.ContainersRunning), paused: num(info.ContainersPaused), stopped: num(info.ContainersStopped) },
    images: num(info.Images),
    securityOptions: strings(info.SecurityOptions),
    liveRestore: info.LiveRestoreEnabled === true,
    labels: strings(info.Labels),
    proxies: { http: str(info.HttpProxy), https: str(info.HttpsProxy), no: str(info.NoProxy) },
    systemTime: str(info.SystemTime),
    warnings: strings(info.Warnings),
  };
}
