/**
 * EngineStatus: the engine's facts (/version, /info, object counts) plus container
 * counts taken from the live container list, so the counts always agree with the
 * list the dashboard shows.
 */
import type Docker from "dockerode";
import type { ContainerSummary, EngineStatus } from "./protocol";

const THROTTLE_MS = 1000;

/** What only the engine can tell; refetched at (re)connect and after image/volume/network events. */
export interface EngineFacts {
  version?: string;
  apiVersion?: string;
  os?: string;
  osType?: string;
  arch?: string;
  kernel?: string;
  name?: string;
  cpus?: number;
  memory?: number;
  images: number;
  volumes: number;
  networks: number;
}

export async function fetchEngineFacts(docker: Docker): Promise<EngineFacts> {
  const [version, info, images, volumes, networks] = await Promise.all([
    docker.version(),
    docker.info() as Promise<Record<string, unknown>>,
    docker.listImages(),
    docker.listVolumes(),
    docker.listNetworks(),
  ]);
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  return {
    version: str(version.Version),
    apiVersion: str(version.ApiVersion),
    os: str(info.OperatingSystem) ?? str(version.Os),
    osType: str(info.OSType) ?? str(version.Os),
    arch: str(version.Arch) ?? str(info.Architecture),
    kernel: str(info.KernelVersion) ?? str(version.KernelVersion),
    name: str(info.Name),
    cpus: num(info.NCPU),
    memory: num(info.MemTotal),
    images: images.length,
    volumes: volumes.Volumes?.length ?? 0,
    networks: networks.length,
  };
}

export function reachableStatus(
  dockerHost: string,
  facts: EngineFacts,
  containers: Iterable<ContainerSummary>,
): EngineStatus {
  let total = 0;
  let running = 0;
  let paused = 0;
  for (const c of containers) {
    total++;
    // Docker counts a restarting container as running (its State.Running is true).
    if (c.state === "running" || c.state === "restarting") running++;
    else if (c.state === "paused") paused++;
  }
  const { images, volumes, networks, ...about } = facts;
  return {
    reachable: true,
    dockerHost,
    ...about,
    counts: { containers: total, running, paused, stopped: total - running - paused, images, volumes, networks },
    checkedAt: Date.now(),
  };
}

export function unreachableStatus(dockerHost: string, reason: string): EngineStatus {
  return { reachable: false, reason, dockerHost, checkedAt: Date.now() };
}

/** Same status apart from when it was checked: nothing worth a frame. */
export function sameStatus(a: EngineStatus, b: EngineStatus): boolean {
  return JSON.stringify({ ...a, checkedAt: 0 }) === JSON.stringify({ ...b, checkedAt: 0 });
}

/**
 * The current EngineStatus and its recomputation: set at (re)connect, then at most
 * once a second after events that change counts. Reports changes through onChange.
 */
export class EngineStatusTracker {
  private status: EngineStatus;
  private facts?: EngineFacts;
  private timer?: NodeJS.Timeout;
  private lastAt = 0;
  private factsStale = false;
  /** Bumped on every connect/disconnect, so a slow recompute from before is dropped. */
  private generation = 0;

  constructor(
    private readonly docker: Docker,
    private readonly dockerHost: string,
    private readonly containers: () => Iterable<ContainerSummary>,
    private readonly onChange: (status: EngineStatus) => void,
  ) {
    this.status = unreachableStatus(dockerHost, "connecting to the engine");
  }

  current(): EngineStatus {
    return this.status;
  }

  /** After a (re)connect, with freshly fetched facts; the caller emits the status. */
  connected(facts: EngineFacts): EngineStatus {
    this.generation++;
    this.facts = facts;
    this.factsStale = false;
    this.lastAt = Date.now();
    this.status = reachableStatus(this.dockerHost, facts, this.containers());
    return this.status;
  }

  /** Reports the engine unreachable (once per distinct reason). */
  unreachable(reason: string): void {
    this.generation++;
    if (!this.status.reachable && this.status.reason === reason) return;
    this.status = unreachableStatus(this.dockerHost, reason);
    this.onChange(this.status);
  }

  /** `refetch` when image/volume/network counts may differ; container counts come from the list. */
  schedule(refetch: boolean): void {
    if (refetch) this.factsStale = true;
    if (this.timer || !this.status.reachable) return;
    const wait = Math.max(0, this.lastAt + THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => void this.recompute(), wait);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async recompute(): Promise<void> {
    const generation = this.generation;
    try {
      if (this.factsStale || !this.facts) {
        this.factsStale = false;
        this.facts = await fetchEngineFacts(this.docker);
      }
    } catch {
      // Unreachable engine: the events stream notices and reports it.
    }
    this.timer = undefined;
    this.lastAt = Date.now();
    if (generation !== this.generation || !this.status.reachable || !this.facts) return;
    const next = reachableStatus(this.dockerHost, this.facts, this.containers());
    if (sameStatus(next, this.status)) return;
    this.status = next;
    this.onChange(next);
  }
}
