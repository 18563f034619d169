/**
 * The confirm of a prune: removes exactly the items the browser sends back
 * from the preview, by id, one at a time, each re-checked right before its
 * removal. Something that came into use since the preview is skipped and
 * reported; something that became unused since is not touched (it is not in
 * the list). The engine is reached through PruneEngine, so the decisions are
 * testable on plain data (engine.ts is the real one).
 */
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import { type BuildCacheFact, imageName, isAnonymousVolume, isRunningState, type NetworkFact, PREDEFINED_NETWORKS, realTags, TYPE_ORDER, type VolumeFact } from "./prune-plan";
import type { PruneConfirmInput, PruneItemRef, PruneItemType, PruneOptions, PruneResult, PruneConfirmResult } from "./protocol";

export interface FreshImage {
  id: string;
  tags: string[];
  digests: string[];
  parentId: string;
}

/** What the confirm asks the engine, each answered fresh (undefined: it no longer exists). */
export interface PruneEngine {
  /** Names and sizes as `system df` says them before anything is removed (best effort: empty when it fails). */
  sizes(): Promise<Map<string, { name: string; size: number }>>;
  container(id: string): Promise<{ name: string; state: string } | undefined>;
  removeContainer(id: string): Promise<void>;
  network(id: string): Promise<NetworkFact | undefined>;
  removeNetwork(id: string): Promise<void>;
  volume(name: string): Promise<VolumeFact | undefined>;
  /** Containers (any state) that mount it, by name. */
  volumeUsers(name: string): Promise<string[]>;
  removeVolume(name: string): Promise<void>;
  image(id: string): Promise<FreshImage | undefined>;
  /** Containers (any state) whose image is this one or is built on it: `docker ps -a --filter ancestor=<id>`. */
  imageUsers(id: string): Promise<{ name: string; imageId: string }[]>;
  /** Removes the image and every name it has (without force: the engine refuses one a container uses). */
  removeImage(id: string): Promise<void>;
  buildCache(): Promise<BuildCacheFact[]>;
  /** Removes exactly that record; answers what the engine deleted and the bytes freed. */
  removeBuildCache(id: string): Promise<{ deleted: string[]; reclaimed: number }>;
}

/** The engine's error as the failure it is: gone (skipped), in use (skipped), or anything else (failed). */
export function classifyRemoveError(e: RuntimeError): { outcome: "skipped" | "failed"; reason: string } {
  if (e.code === "NOT_FOUND") return { outcome: "skipped", reason: "no longer exists" };
  // 409 for a container or image in use; 403 "has active endpoints" for a network.
  if (e.code === "CONFLICT" || /active endpoints|in use|being used/i.test(e.message)) return { outcome: "skipped", reason: `in use: ${e.message}` };
  return { outcome: "failed", reason: e.message };
}

export const skipContainer = (fresh: { state: string } | undefined): string | undefined =>
  !fresh ? "no longer exists" : isRunningState(fresh.state) ? `is ${fresh.state} now` : undefined;

export function skipNetwork(fresh: NetworkFact | undefined): string | undefined {
  if (!fresh) return "no longer exists";
  if (PREDEFINED_NETWORKS.has(fresh.name) || fresh.ingress) return `${fresh.name} is a network the engine keeps`;
  if (fresh.scope !== "local") return `${fresh.scope}-scoped network: not pruned from one engine`;
  if (fresh.connected.length) return `in use by container ${fresh.connected.join(", ")}`;
  return undefined;
}

export function skipVolume(fresh: VolumeFact | undefined, users: readonly string[], mode: PruneOptions["volumes"]): string | undefined {
  if (!fresh) return "no longer exists";
  if (users.length) return `in use by container ${users.join(", ")}`;
  if (fresh.driver !== "local") return `driver ${fresh.driver}: prune removes only local volumes`;
  if (mode === "anonymous" && !isAnonymousVolume(fresh)) return "named volume, and this prune removes anonymous volumes only";
  return undefined;
}

export function skipImage(fresh: FreshImage | undefined, users: readonly { name: string; imageId: string }[], mode: PruneOptions["images"]): string | undefined {
  if (!fresh) return "no longer exists";
  const direct = users.find((u) => u.imageId === fresh.id);
  if (direct) return `in use by container ${direct.name}`;
  if (users[0]) return `an image in use by container ${users[0].name} is built on it`;
  if (mode === "dangling" && realTags(fresh.tags).length) return `tagged ${realTags(fresh.tags).join(", ")} now, and this prune removes dangling images only`;
  return undefined;
}

export function skipBuildCache(fresh: BuildCacheFact | undefined, mode: PruneOptions["buildCache"]): string | undefined {
  if (!fresh) return "no longer exists";
  if (fresh.inUse) return "in use by a build";
  if (mode === "dangling" && fresh.shared) return "shared with an image now, and this prune removes unshared build cache only";
  return undefined;
}

/** The items once each, in removal order: containers, networks, volumes, images (each before the images it is built on), build cache. */
export function confirmOrder(items: readonly PruneItemRef[], parentOf: (imageId: string) => string | undefined = () => undefined): PruneItemRef[] {
  const seen = new Set<string>();
  const unique = items.filter((i) => {
    const key = `${i.type}\u0000${i.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const depth = (id: string) => {
    let d = 0;
    for (let p = parentOf(id); p && d < 1000; p = parentOf(p)) d++;
    return d;
  };
  const depths = new Map(unique.filter((i) => i.type === "image").map((i) => [i.id, depth(i.id)]));
  const rank = (t: PruneItemType) => TYPE_ORDER.indexOf(t);
  // Array.prototype.sort is stable: same type and depth keep the preview's order.
  return unique.sort((a, b) => rank(a.type) - rank(b.type) || (depths.get(b.id) ?? 0) - (depths.get(a.id) ?? 0));
}

export async function runPrune(input: PruneConfirmInput, engine: PruneEngine): Promise<PruneConfirmResult> {
  const sizes = await engine.sizes().catch(() => new Map<string, { name: string; size: number }>());
  const parents = new Map<string, string>();
  // Parents of the listed images, to remove children first (one inspect each; the recheck below reads them fresh anyway).
  const images = input.items.filter((i) => i.type === "image");
  if (images.length > 1) {
    for (const i of images) {
      const img = await engine.image(i.id).catch(() => undefined);
      if (img?.parentId) parents.set(i.id, img.parentId);
    }
  }
  const order = confirmOrder(input.items, (id) => parents.get(id));
  let cache: BuildCacheFact[] | undefined;
  const results: PruneResult[] = [];
  for (const item of order) {
    const known = sizes.get(`${item.type}:${item.id}`);
    const result: PruneResult = { type: item.type, id: item.id, name: known?.name ?? item.id, outcome: "removed", size: 0 };
    try {
      const skip = await recheck(item, input.options, engine, result, async () => (cache ??= await engine.buildCache()));
      if (skip) {
        results.push({ ...result, outcome: "skipped", reason: skip });
        continue;
      }
      const done = await remove(item, engine);
      results.push({ ...result, size: done?.freed ?? Math.max(0, known?.size ?? 0), ...(done?.note ? { reason: done.note } : {}) });
    } catch (err) {
      results.push({ ...result, ...classifyRemoveError(toRuntimeError(err)) });
    }
  }
  const count = (o: PruneResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  return {
    kind: input.kind,
    results,
    removed: count("removed"),
    skipped: count("skipped"),
    failed: count("failed"),
    spaceReclaimed: results.reduce((s, r) => s + (r.outcome === "removed" ? r.size : 0), 0),
  };
}

/** Why the item must stay now (undefined: remove it); fills in its name from the fresh answer. */
async function recheck(item: PruneItemRef, options: PruneOptions, engine: PruneEngine, result: PruneResult, buildCache: () => Promise<BuildCacheFact[]>): Promise<string | undefined> {
  switch (item.type) {
    case "container": {
      const c = await engine.container(item.id);
      if (c) result.name = c.name;
      return skipContainer(c);
    }
    case "network": {
      const n = await engine.network(item.id);
      if (n) result.name = n.name;
      return skipNetwork(n);
    }
    case "volume": {
      const v = await engine.volume(item.id);
      return skipVolume(v, v ? await engine.volumeUsers(item.id) : [], options.volumes);
    }
    case "image": {
      const img = await engine.image(item.id);
      if (img && result.name === item.id) result.name = imageName(img);
      return skipImage(img, img ? await engine.imageUsers(item.id) : [], options.images);
    }
    case "build-cache": {
      const rec = (await buildCache()).find((b) => b.id === item.id);
      if (rec) result.name = rec.description || rec.id;
      return skipBuildCache(rec, options.buildCache);
    }
  }
}

/** Removes one item; answers the bytes freed when the engine says so, and anything it did beyond the item. */
async function remove(item: PruneItemRef, engine: PruneEngine): Promise<{ freed: number; note?: string } | undefined> {
  switch (item.type) {
    case "container":
      return void (await engine.removeContainer(item.id));
    case "network":
      return void (await engine.removeNetwork(item.id));
    case "volume":
      return void (await engine.removeVolume(item.id));
    case "image":
      return void (await engine.removeImage(item.id));
    case "build-cache": {
      const r = await engine.removeBuildCache(item.id);
      if (!r.deleted.includes(item.id)) throw new RuntimeFailure({ code: "CONFLICT", message: "the engine kept it (in use by a build)" });
      // An engine that ignored the id filter pruned more than asked: say so rather than hide it.
      const others = r.deleted.filter((d) => d !== item.id).length;
      return { freed: r.reclaimed, ...(others ? { note: `the engine also removed ${others} other build cache record${others === 1 ? "" : "s"}` } : {}) };
    }
  }
}
