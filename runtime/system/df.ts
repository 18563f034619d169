/**
 * `docker system df -v` from the engine's `/system/df` answer: each section's
 * rows and its summary line computed as the docker CLI computes it
 * (cli/command/formatter/disk_usage.go), so the figures match `docker system df`:
 * - images: size is the engine's LayersSize; reclaimable is that minus what the
 *   images containers use hold (size − shared);
 * - containers: size is the sum of their own layers; reclaimable is that of the ones not running;
 * - volumes: reclaimable is the size of the ones no container references;
 * - build cache: size and reclaimable count records not shared with an image; reclaimable only unused ones.
 * Pure: no engine here.
 */
import type { DfBuildCache, DfContainer, DfImage, DfVolume, DiskUsage } from "./protocol";
import { realDigests, realTags, uniqueSize } from "./prune-plan";

/** The raw answer, as loose as engines of different versions send it. */
export interface RawDf {
  LayersSize?: number;
  Images?: RawImage[] | null;
  Containers?: RawContainer[] | null;
  Volumes?: RawVolume[] | null;
  BuildCache?: RawBuildCache[] | null;
}

interface RawImage {
  Id: string;
  ParentId?: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: number;
  Size?: number;
  SharedSize?: number;
  Containers?: number;
  Labels?: Record<string, string> | null;
}

interface RawContainer {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  State?: string;
  Status?: string;
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts?: { Type?: string; Name?: string }[] | null;
}

interface RawVolume {
  Name: string;
  Driver?: string;
  Labels?: Record<string, string> | null;
  Mountpoint?: string;
  Scope?: string;
  UsageData?: { Size?: number; RefCount?: number } | null;
}

interface RawBuildCache {
  ID: string;
  Parent?: string;
  Parents?: string[] | null;
  Type?: string;
  Description?: string;
  InUse?: boolean;
  Shared?: boolean;
  Size?: number;
  CreatedAt?: string;
  LastUsedAt?: string | null;
  UsageCount?: number;
}

const num = (v: unknown, fallback = -1) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

export function containerName(names: readonly string[] | null | undefined, id: string): string {
  // A link adds names like /other/alias: the container's own name is the one with a single slash.
  return (names?.find((n) => n.lastIndexOf("/") === 0) ?? names?.[0] ?? id.slice(0, 12)).replace(/^\//, "");
}

export function toDfImage(i: RawImage): DfImage {
  const img = { size: num(i.Size, 0), sharedSize: num(i.SharedSize) };
  return {
    id: i.Id,
    tags: realTags(i.RepoTags),
    digests: realDigests(i.RepoDigests),
    parentId: i.ParentId ?? "",
    created: num(i.Created, 0),
    ...img,
    uniqueSize: uniqueSize(img),
    containers: num(i.Containers),
    labels: i.Labels ?? {},
  };
}

export function toDfContainer(c: RawContainer): DfContainer {
  return {
    id: c.Id,
    name: containerName(c.Names, c.Id),
    image: c.Image ?? "",
    imageId: c.ImageID ?? "",
    command: c.Command ?? "",
    created: num(c.Created, 0),
    state: c.State ?? "",
    status: c.Status ?? "",
    sizeRw: num(c.SizeRw, 0),
    sizeRootFs: num(c.SizeRootFs, 0),
    volumes: (c.Mounts ?? []).filter((m) => m.Type === "volume" && m.Name).map((m) => m.Name!),
  };
}

export function toDfVolume(v: RawVolume): DfVolume {
  return {
    name: v.Name,
    driver: v.Driver ?? "",
    labels: v.Labels ?? {},
    mountpoint: v.Mountpoint ?? "",
    scope: v.Scope ?? "local",
    links: num(v.UsageData?.RefCount),
    size: num(v.UsageData?.Size),
  };
}

export function toDfBuildCache(b: RawBuildCache): DfBuildCache {
  return {
    id: b.ID,
    parent: b.Parent || b.Parents?.[0] || "",
    type: b.Type ?? "",
    description: b.Description ?? "",
    inUse: !!b.InUse,
    shared: !!b.Shared,
    size: num(b.Size, 0),
    createdAt: b.CreatedAt ?? "",
    lastUsedAt: b.LastUsedAt ?? "",
    usageCount: num(b.UsageCount, 0),
  };
}

/** The CLI's "active" container: running or paused (or restarting). */
const activeContainer = (state: string) => /running|paused|restarting/.test(state);

export function diskUsage(raw: RawDf): DiskUsage {
  const images = (raw.Images ?? []).filter(Boolean).map(toDfImage);
  const containers = (raw.Containers ?? []).filter(Boolean).map(toDfContainer);
  const volumes = (raw.Volumes ?? []).filter(Boolean).map(toDfVolume);
  const buildCache = (raw.BuildCache ?? []).filter(Boolean).map(toDfBuildCache);
  const layersSize = num(raw.LayersSize, 0);

  let usedImageBytes = 0;
  for (const i of images) if (i.containers > 0 && i.sharedSize !== -1) usedImageBytes += i.size - i.sharedSize;

  const cSize = containers.reduce((s, c) => s + c.sizeRw, 0);
  const cReclaim = containers.filter((c) => !activeContainer(c.state)).reduce((s, c) => s + c.sizeRw, 0);

  const vSize = volumes.reduce((s, v) => s + Math.max(0, v.size), 0);
  const vReclaim = volumes.filter((v) => v.links === 0).reduce((s, v) => s + Math.max(0, v.size), 0);

  const unshared = buildCache.filter((b) => !b.shared);
  return {
    images: { total: images.length, active: images.filter((i) => i.containers > 0).length, size: layersSize, reclaimable: Math.max(0, layersSize - usedImageBytes), items: images },
    containers: { total: containers.length, active: containers.filter((c) => activeContainer(c.state)).length, size: cSize, reclaimable: cReclaim, items: containers },
    volumes: { total: volumes.length, active: volumes.filter((v) => v.links > 0).length, size: vSize, reclaimable: vReclaim, items: volumes },
    buildCache: {
      total: buildCache.length,
      active: buildCache.filter((b) => b.inUse).length,
      size: unshared.reduce((s, b) => s + b.size, 0),
      reclaimable: unshared.filter((b) => !b.inUse).reduce((s, b) => s + b.size, 0),
      items: buildCache,
    },
    layersSize,
  };
}
