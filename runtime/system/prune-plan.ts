/**
 * What a prune would remove, decided the way Docker's own prune decides, from
 * plain facts (the engine's lists and `system df`), so the rules are testable
 * without an engine:
 * - containers: every one not running (running, paused and restarting count as running);
 * - images: dangling (no tag) or, with `all`, every image no container uses (stopped
 *   ones included), never one a used image is built on (its parent chain), never an
 *   untagged intermediate (it goes with its child), and a tagged parent only when
 *   every child goes too;
 * - volumes: local-driver volumes no container mounts; anonymous ones only unless `all`;
 * - networks: local networks with no connected container, never bridge, host or none;
 * - build cache: records not in use; not shared with an image unless `all`.
 * A system prune removes the stopped containers first, so what only they used goes too.
 */
import type { PruneItem, PruneItemType, PruneKept, PruneKind, PruneOptions, PrunePreview } from "./protocol";
import { kindTypes, MAX_KEPT_SHOWN, MAX_PRUNE_ITEMS } from "./protocol";

export interface ImageFact {
  id: string;
  tags: string[];
  digests: string[];
  parentId: string;
  size: number;
  /** -1 when the engine did not compute it. */
  sharedSize: number;
}

export interface ContainerFact {
  id: string;
  name: string;
  imageId: string;
  state: string;
  /** Volume names it mounts. */
  volumes: string[];
  /** Network ids it is configured on. */
  networks: string[];
  /** -1 when unknown. */
  sizeRw: number;
}

export interface VolumeFact {
  name: string;
  driver: string;
  labels: Record<string, string>;
  /** -1 when unknown. */
  size: number;
  /** Containers referencing it as `system df` counts them; -1 when unknown. */
  links: number;
}

export interface NetworkFact {
  id: string;
  name: string;
  driver: string;
  scope: string;
  ingress: boolean;
  /** Names of the containers connected now (Docker's "active endpoints"). */
  connected: string[];
}

export interface BuildCacheFact {
  id: string;
  description: string;
  inUse: boolean;
  shared: boolean;
  size: number;
}

export interface PruneFacts {
  containers: ContainerFact[];
  images: ImageFact[];
  volumes: VolumeFact[];
  networks: NetworkFact[];
  buildCache: BuildCacheFact[];
}

/** Docker's IsRunning(): a paused or restarting container still runs. */
export function isRunningState(state: string): boolean {
  return state === "running" || state === "paused" || state === "restarting" || state === "removing";
}

/** Networks every engine has and no prune touches. */
export const PREDEFINED_NETWORKS: ReadonlySet<string> = new Set(["bridge", "host", "none", "default"]);

/** The label Docker 23+ puts on the volumes it creates without a name. */
export const ANONYMOUS_VOLUME_LABEL = "com.docker.volume.anonymous";

/** Anonymous: labelled so by Docker 23+, or (older engines label nothing) named the way Docker names them, 64 hex characters. */
export function isAnonymousVolume(v: Pick<VolumeFact, "name" | "labels">): boolean {
  return Object.hasOwn(v.labels, ANONYMOUS_VOLUME_LABEL) || /^[0-9a-f]{64}$/.test(v.name);
}

/** Tagged: a real `repo:tag` (Docker lists `<none>:<none>` for an untagged image on some versions). */
export const realTags = (tags: readonly string[] | null | undefined): string[] => (tags ?? []).filter((t) => t !== "<none>:<none>" && t !== "");
export const realDigests = (digests: readonly string[] | null | undefined): string[] => (digests ?? []).filter((d) => d !== "<none>@<none>" && d !== "");

export function imageName(img: Pick<ImageFact, "tags" | "digests">): string {
  const tags = realTags(img.tags);
  if (tags.length) return tags.join(", ");
  const digest = realDigests(img.digests)[0];
  return digest ? `${digest.split("@")[0]}@<none>` : "<none>";
}

/** Bytes only this image holds: what removing it frees at least. */
export const uniqueSize = (img: Pick<ImageFact, "size" | "sharedSize">): number => (img.sharedSize >= 0 ? Math.max(0, img.size - img.sharedSize) : img.size);

const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

interface TypePlan {
  items: PruneItem[];
  kept: PruneKept[];
}

export function planContainers(facts: PruneFacts): TypePlan {
  const items = facts.containers
    .filter((c) => !isRunningState(c.state))
    .map((c): PruneItem => ({ type: "container", id: c.id, name: c.name, size: c.sizeRw, note: c.state }));
  return { items, kept: [] };
}

/** Which container uses each image, directly or through an image built on it (its parent chain). */
function imageUsers(images: readonly ImageFact[], containers: readonly ContainerFact[]): Map<string, { container: string; through?: string }> {
  const byId = new Map(images.map((i) => [i.id, i]));
  const users = new Map<string, { container: string; through?: string }>();
  for (const c of containers) {
    if (!users.has(c.imageId)) users.set(c.imageId, { container: c.name });
    // Walk the parents; bounded by the number of images (a corrupt store could loop).
    let img = byId.get(c.imageId);
    for (let hops = 0; img?.parentId && hops < images.length; hops++) {
      if (!users.has(img.parentId)) users.set(img.parentId, { container: c.name, through: c.imageId });
      img = byId.get(img.parentId);
    }
  }
  return users;
}

export function planImages(facts: PruneFacts, mode: PruneOptions["images"], removedContainers: ReadonlySet<string> = new Set()): TypePlan {
  const images = facts.images;
  const byId = new Map(images.map((i) => [i.id, i]));
  const children = new Map<string, string[]>();
  for (const i of images) if (i.parentId && byId.has(i.parentId)) children.set(i.parentId, [...(children.get(i.parentId) ?? []), i.id]);
  const users = imageUsers(images, facts.containers.filter((c) => !removedContainers.has(c.id)));
  const tagged = (i: ImageFact) => realTags(i.tags).length > 0;
  const intermediate = (i: ImageFact) => !tagged(i) && realDigests(i.digests).length === 0 && (children.get(i.id)?.length ?? 0) > 0;

  /** Whether the image would be removed: itself a candidate, or an untagged intermediate whose every child goes (Docker's delete takes it along). */
  const memo = new Map<string, boolean>();
  const goes = (id: string, depth = 0): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const img = byId.get(id);
    if (!img || users.has(id) || depth > images.length) return false;
    memo.set(id, false); // a cycle (a corrupt store) stays false
    const kids = children.get(id) ?? [];
    const kidsGo = kids.every((k) => goes(k, depth + 1));
    let result: boolean;
    if (intermediate(img)) result = kidsGo;
    else if (mode === "dangling" && tagged(img)) result = false;
    else result = kidsGo;
    memo.set(id, result);
    return result;
  };

  const items: PruneItem[] = [];
  const kept: PruneKept[] = [];
  for (const img of images) {
    if (intermediate(img)) continue; // hidden as `docker images` hides it; it goes with its last child
    if (mode === "dangling" && tagged(img)) continue;
    const name = imageName(img);
    const user = users.get(img.id);
    if (user) {
      kept.push({ type: "image", id: img.id, name, reason: user.through ? `parent of image ${imageName(byId.get(user.through) ?? { tags: [], digests: [] })} (${short(user.through)}), used by container ${user.container}` : `in use by container ${user.container}` });
      continue;
    }
    if (!goes(img.id)) {
      const staying = (children.get(img.id) ?? []).filter((k) => !goes(k)).map((k) => byId.get(k)!);
      const child = staying[0];
      kept.push({ type: "image", id: img.id, name, reason: child ? `parent of image ${imageName(child)} (${short(child.id)}), which stays` : "kept" });
      continue;
    }
    // The untagged parents that go with it (Docker's delete removes them, as `docker image prune` does).
    let along = 0;
    for (let p = byId.get(img.parentId), hops = 0; p && intermediate(p) && hops < images.length; p = byId.get(p.parentId), hops++) {
      if ((children.get(p.id) ?? []).every((k) => goes(k))) along++;
      else break;
    }
    items.push({ type: "image", id: img.id, name, size: uniqueSize(img), ...(along ? { note: `and ${along} untagged parent layer${along === 1 ? "" : "s"}` } : {}) });
  }
  // Children before their parents: Docker refuses to remove an image another is built on.
  const depth = (id: string) => {
    let d = 0;
    for (let p = byId.get(id)?.parentId; p && d < images.length; p = byId.get(p)?.parentId) d++;
    return d;
  };
  items.sort((a, b) => depth(b.id) - depth(a.id));
  return { items, kept };
}

export function planVolumes(facts: PruneFacts, mode: PruneOptions["volumes"], removedContainers: ReadonlySet<string> = new Set()): TypePlan {
  const users = new Map<string, string>();
  for (const c of facts.containers) {
    if (removedContainers.has(c.id)) continue;
    for (const v of c.volumes) if (!users.has(v)) users.set(v, c.name);
  }
  const items: PruneItem[] = [];
  const kept: PruneKept[] = [];
  for (const v of facts.volumes) {
    if (users.has(v.name)) continue; // in use: not a candidate (the volume list says so)
    if (v.driver !== "local") {
      kept.push({ type: "volume", id: v.name, name: v.name, reason: `driver ${v.driver}: prune removes only local volumes` });
      continue;
    }
    // `system df` counts references the container list cannot show (a container being created).
    if (v.links > 0 && removedContainers.size === 0) {
      kept.push({ type: "volume", id: v.name, name: v.name, reason: `referenced by ${v.links} container${v.links === 1 ? "" : "s"}` });
      continue;
    }
    if (mode === "anonymous" && !isAnonymousVolume(v)) {
      kept.push({ type: "volume", id: v.name, name: v.name, reason: "named volume (choose All unused volumes to include it)" });
      continue;
    }
    items.push({ type: "volume", id: v.name, name: v.name, size: v.size, ...(isAnonymousVolume(v) ? { note: "anonymous" } : {}) });
  }
  return { items, kept };
}

export function planNetworks(facts: PruneFacts, removedContainers: ReadonlySet<string> = new Set()): TypePlan {
  const configuredOn = new Map<string, string>();
  for (const c of facts.containers) {
    if (removedContainers.has(c.id)) continue;
    for (const n of c.networks) if (!configuredOn.has(n)) configuredOn.set(n, c.name);
  }
  const items: PruneItem[] = [];
  const kept: PruneKept[] = [];
  for (const n of facts.networks) {
    if (PREDEFINED_NETWORKS.has(n.name) || n.ingress) continue;
    if (n.scope !== "local") {
      kept.push({ type: "network", id: n.id, name: n.name, reason: `${n.scope}-scoped network: not pruned from one engine` });
      continue;
    }
    if (n.connected.length) continue; // in use
    const stopped = configuredOn.get(n.id);
    items.push({ type: "network", id: n.id, name: n.name, size: 0, ...(stopped ? { note: `configured on stopped container ${stopped}, which will not start without it` } : {}) });
  }
  return { items, kept };
}

export function planBuildCache(facts: PruneFacts, mode: PruneOptions["buildCache"]): TypePlan {
  const items = facts.buildCache
    .filter((b) => !b.inUse && (mode === "all" || !b.shared))
    .map((b): PruneItem => ({ type: "build-cache", id: b.id, name: b.description || b.id, size: b.size, ...(b.shared ? { note: "shared with an image: frees only what the image does not hold" } : {}) }));
  return { items, kept: [] };
}

/** The preview of a prune of `kind` with `options`, from one snapshot of facts. */
export function planPrune(kind: PruneKind, options: PruneOptions, facts: PruneFacts): PrunePreview {
  const types = new Set<PruneItemType>(kindTypes[kind]);
  if (kind === "system" && !options.includeVolumes) types.delete("volume");
  const plans: TypePlan[] = [];
  const containers = types.has("container") ? planContainers(facts) : { items: [], kept: [] };
  plans.push(containers);
  // A system prune removes the stopped containers first: what only they used is unused by then.
  const removed = new Set(containers.items.map((i) => i.id));
  if (types.has("network")) plans.push(planNetworks(facts, removed));
  if (types.has("volume")) plans.push(planVolumes(facts, options.volumes, removed));
  if (types.has("image")) plans.push(planImages(facts, options.images, removed));
  if (types.has("build-cache")) plans.push(planBuildCache(facts, options.buildCache));
  const all = plans.flatMap((p) => p.items);
  const items = all.slice(0, MAX_PRUNE_ITEMS);
  const kept = plans.flatMap((p) => p.kept).slice(0, MAX_KEPT_SHOWN);
  const notes: string[] = [];
  if (types.has("build-cache")) notes.push("Build cache records are removed one by one, by record id.");
  if (types.has("image")) notes.push("Sizes are the bytes only each image holds; layers shared among removed images free more.");
  if (kind === "system" && !options.includeVolumes) notes.push("Volumes are not included (as docker system prune without --volumes).");
  return {
    kind,
    options,
    items,
    totalSize: items.reduce((s, i) => s + Math.max(0, i.size), 0),
    kept,
    notes,
    truncated: all.length > items.length,
  };
}

/** Removal order of a confirm: containers, networks, volumes, images (children first), build cache. */
export const TYPE_ORDER: readonly PruneItemType[] = ["container", "network", "volume", "image", "build-cache"];
