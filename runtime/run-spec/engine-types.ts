/**
 * The slices of the Engine API (v1.41) this library reads and writes, declared
 * here so the library needs neither dockerode nor its types (app/ imports it).
 */

export type StringMap = Record<string, string>;
export type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

export interface EngineMount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: StringMap;
    Subpath?: string;
    DriverConfig?: { Name?: string; Options?: StringMap };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface EngineHealthcheck {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface EngineDeviceRequest {
  Driver: string;
  Count: number;
  DeviceIDs: string[] | null;
  Capabilities: string[][] | null;
  Options: StringMap | null;
}

export interface EngineEndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] } | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: StringMap | null;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  [other: string]: unknown;
}

/** HostConfig, as sent and as `docker inspect` shows it. */
export interface EngineHostConfig {
  Binds?: string[] | null;
  ContainerIDFile?: string;
  LogConfig?: { Type: string; Config: StringMap | null };
  NetworkMode?: string;
  PortBindings?: PortMap | null;
  RestartPolicy?: { Name: string; MaximumRetryCount: number };
  AutoRemove?: boolean;
  VolumeDriver?: string;
  VolumesFrom?: string[] | null;
  ConsoleSize?: [number, number];
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  CgroupnsMode?: string;
  Dns?: string[] | null;
  DnsOptions?: string[] | null;
  DnsSearch?: string[] | null;
  ExtraHosts?: string[] | null;
  GroupAdd?: string[] | null;
  IpcMode?: string;
  Cgroup?: string;
  Links?: string[] | null;
  OomScoreAdj?: number;
  PidMode?: string;
  Privileged?: boolean;
  PublishAllPorts?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[] | null;
  Tmpfs?: StringMap;
  UTSMode?: string;
  UsernsMode?: string;
  ShmSize?: number;
  Sysctls?: StringMap;
  Runtime?: string;
  Isolation?: string;
  CpuShares?: number;
  Memory?: number;
  NanoCpus?: number;
  CgroupParent?: string;
  BlkioWeight?: number;
  BlkioWeightDevice?: unknown[] | null;
  BlkioDeviceReadBps?: unknown[] | null;
  BlkioDeviceWriteBps?: unknown[] | null;
  BlkioDeviceReadIOps?: unknown[] | null;
  BlkioDeviceWriteIOps?: unknown[] | null;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] | null;
  DeviceCgroupRules?: string[] | null;
  DeviceRequests?: EngineDeviceRequest[] | null;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  OomKillDisable?: boolean | null;
  PidsLimit?: number | null;
  Ulimits?: { Name: string; Hard: number; Soft: number }[] | null;
  CpuCount?: number;
  CpuPercent?: number;
  IOMaximumIOps?: number;
  IOMaximumBandwidth?: number;
  Mounts?: EngineMount[];
  MaskedPaths?: string[] | null;
  ReadonlyPaths?: string[] | null;
  Init?: boolean | null;
  [other: string]: unknown;
}

/** Config, as sent and as `docker inspect` shows it (also the image's Config). */
export interface EngineConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: EngineHealthcheck | null;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  OnBuild?: string[] | null;
  Labels?: StringMap | null;
  MacAddress?: string;
  StopSignal?: string;
  StopTimeout?: number;
  [other: string]: unknown;
}

/** The JSON body of `POST /containers/create`. */
export interface CreateContainerBody extends EngineConfig {
  HostConfig: EngineHostConfig;
  NetworkingConfig: { EndpointsConfig: Record<string, EngineEndpointSettings> };
}

/** The parts of `GET /containers/{id}/json` this library reads. */
export interface ContainerInspect {
  Id: string;
  Name?: string;
  Config: EngineConfig;
  HostConfig: EngineHostConfig;
  NetworkSettings?: { Networks?: Record<string, EngineEndpointSettings> | null };
  [other: string]: unknown;
}

/** The parts of `GET /images/{name}/json` this library reads. */
export interface ImageInspect {
  Config?: EngineConfig | null;
  [other: string]: unknown;
}
