/**
 * The system capability's engine calls: `/system/df` (retried while another
 * disk-usage walk runs, which Docker 20.10 refuses), the facts a prune preview
 * is planned from, and the PruneEngine a confirm removes items through, each
 * call answering fresh (a 404 is "no longer exists", not an error).
 */
import type Docker from "dockerode";
import { toRuntimeError } from "../engine/errors";
import { containerName, type RawDf, toDfBuildCache, toDfContainer, toDfImage, toDfVolume } from "./df";
import type { PruneEngine } from "./prune-confirm";
import { type BuildCacheFact, type ContainerFact, type ImageFact, type NetworkFact, type PruneFacts, PREDEFINED_NETWORKS, realDigests, realTags, uniqueSize, type VolumeFact } from "./prune-plan";
import type { PruneItemType, PruneKind, PruneOptions } from "./protocol";
import { kindTypes } from "./protocol";

const DF_TIMEOUT_MS = 100_000;
const DF_BUSY_RETRIES = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type DfType = "image" | "container" | "volume" | "build-cache";

/**
 * `/system/df`; while another walk runs (Docker 20.10 refuses a second one),
 * waits and asks again. `types`: only these sections (API 1.42+ computes only
 * those; older engines ignore it and compute all).
 */
export async function rawDf(docker: Docker, types?: readonly DfType[]): Promise<RawDf> {
  for (let attempt = 0; ; attempt++) {
    try {
      const opts = { ...(types ? { type: [...types] } : {}), abortSignal: AbortSignal.timeout(DF_TIMEOUT_MS) };
      return (await (docker.df as (opts: object) => Promise<unknown>)(opts)) as RawDf;
    } catch (err) {
      const e = toRuntimeError(err, "system df");
      if (attempt >= DF_BUSY_RETRIES || !/already running/i.test(e.message)) throw err;
      await sleep(250);
    }
  }
}

/** `fn` over `xs`, at most `limit` at a time: a thousand networks must not be a thousand requests at once. */
export async function mapLimited<T, R>(xs: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}

/** A 404 as undefined; anything else thrown. */
async function orGone<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (toRuntimeError(err).code === "NOT_FOUND") return undefined;
    throw err;
  }
}

/** The repository of a reference: `reg:5000/a/b:tag` → `reg:5000/a/b`, `a@sha256:…` → `a`. */
export function repositoryOf(ref: string): string {
  const at = ref.indexOf("@");
  if (at >= 0) return ref.slice(0, at);
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(0, colon) : ref;
}

function toContainerFact(c: Docker.ContainerInfo, sizeRw?: number): ContainerFact {
  return {
    id: c.Id,
    name: containerName(c.Names, c.Id),
    imageId: c.ImageID,
    state: c.State ?? "",
    volumes: (c.Mounts ?? []).filter((m) => m.Type === "volume" && m.Name).map((m) => m.Name!),
    networks: Object.values(c.NetworkSettings?.Networks ?? {})
      .map((n) => n.NetworkID)
      .filter(Boolean),
    sizeRw: sizeRw ?? -1,
  };
}

async function networkFact(docker: Docker, id: string): Promise<NetworkFact | undefined> {
  const n = await orGone(docker.getNetwork(id).inspect() as Promise<Docker.NetworkInspectInfo & { Ingress?: boolean }>);
  if (!n) return undefined;
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    ingress: n.Ingress === true,
    connected: Object.entries(n.Containers ?? {}).map(([cid, c]) => c.Name || cid.slice(0, 12)),
  };
}

const toBuildCacheFact = (b: ReturnType<typeof toDfBuildCache>): BuildCacheFact => ({ id: b.id, description: b.description, inUse: b.inUse, shared: b.shared, size: b.size });

/** The facts a preview of `kind` needs, and only those (`system df` walks every volume: asked only when sizes matter). */
export async function pruneFacts(docker: Docker, kind: PruneKind, options: PruneOptions): Promise<PruneFacts> {
  const types = new Set<PruneItemType>(kindTypes[kind]);
  if (kind === "system" && !options.includeVolumes) types.delete("volume");
  const dfTypes = (["container", "image", "volume", "build-cache"] as const).filter((t) => types.has(t));
  const [df, containers, images, networks] = await Promise.all([
    dfTypes.length ? rawDf(docker, dfTypes) : Promise.resolve<RawDf>({}),
    docker.listContainers({ all: true }),
    types.has("image") ? docker.listImages({ all: true }) : Promise.resolve([]),
    types.has("network") ? docker.listNetworks() : Promise.resolve([]),
  ]);
  const rw = new Map((df.Containers ?? []).filter(Boolean).map((c) => [c.Id, c.SizeRw ?? -1]));
  const shared = new Map((df.Images ?? []).filter(Boolean).map((i) => [i.Id, i.SharedSize ?? -1]));
  const imageFacts: ImageFact[] = images.map((i) => ({
    id: i.Id,
    tags: realTags(i.RepoTags),
    digests: realDigests(i.RepoDigests),
    parentId: i.ParentId ?? "",
    size: i.Size,
    // The list does not compute shared sizes; `system df` does (for top-level images).
    sharedSize: shared.get(i.Id) ?? -1,
  }));
  const volumeFacts: VolumeFact[] = types.has("volume")
    ? (df.Volumes ? df.Volumes.filter(Boolean).map(toDfVolume) : ((await docker.listVolumes()).Volumes ?? []).map((v) => toDfVolume({ ...v, UsageData: null })))
        .map((v) => ({ name: v.name, driver: v.driver, labels: v.labels, size: v.size, links: v.links }))
    : [];
  // The list leaves Containers empty: only an inspect says which containers are connected.
  const candidates = networks.filter((n) => !PREDEFINED_NETWORKS.has(n.Name));
  const networkFacts = (await mapLimited(candidates, 8, (n) => networkFact(docker, n.Id))).filter((n): n is NetworkFact => !!n);
  return {
    containers: containers.map((c) => toContainerFact(c, rw.get(c.Id))),
    images: imageFacts,
    volumes: volumeFacts,
    networks: networkFacts,
    buildCache: types.has("build-cache") ? (df.BuildCache ?? []).filter(Boolean).map(toDfBuildCache).map(toBuildCacheFact) : [],
  };
}

/** The engine as a confirm sees it: every answer fresh, every removal without force. */
export function pruneEngine(docker: Docker, needs: ReadonlySet<PruneItemType>): PruneEngine {
  return {
    async sizes() {
      const out = new Map<string, { name: string; size: number }>();
      // Sizes only name what a removal freed: not worth a walk of every volume for containers or networks alone.
      if (!needs.has("image") && !needs.has("volume") && !needs.has("container")) return out;
      const df = await rawDf(docker, (["image", "volume", "container"] as const).filter((t) => needs.has(t)));
      for (const i of (df.Images ?? []).filter(Boolean).map(toDfImage)) out.set(`image:${i.id}`, { name: i.tags.join(", ") || "<none>", size: uniqueSize(i) });
      for (const c of (df.Containers ?? []).filter(Boolean).map(toDfContainer)) out.set(`container:${c.id}`, { name: c.name, size: c.sizeRw });
      for (const v of (df.Volumes ?? []).filter(Boolean).map(toDfVolume)) out.set(`volume:${v.name}`, { name: v.name, size: v.size });
      return out;
    },

    async container(id) {
      const c = await orGone(docker.getContainer(id).inspect());
      return c && { name: c.Name.replace(/^\//, ""), state: c.State.Status };
    },
    async removeContainer(id) {
      // As `docker container prune`: the container only, not its anonymous volumes.
      await docker.getContainer(id).remove({ v: false, force: false });
    },

    network: (id) => networkFact(docker, id),
    async removeNetwork(id) {
      await docker.getNetwork(id).remove();
    },

    async volume(name) {
      const v = await orGone(docker.getVolume(name).inspect());
      return v && { name: v.Name, driver: v.Driver, labels: v.Labels ?? {}, size: -1, links: -1 };
    },
    async volumeUsers(name) {
      // The engine's `volume` filter also matches a mount destination: keep the containers that mount this name.
      const infos = await docker.listContainers({ all: true, filters: { volume: [name] } });
      return infos.filter((c) => (c.Mounts ?? []).some((m) => m.Type === "volume" && m.Name === name)).map((c) => containerName(c.Names, c.Id));
    },
    async removeVolume(name) {
      await docker.getVolume(name).remove({ force: false });
    },

    async image(id) {
      const img = await orGone(docker.getImage(id).inspect());
      return img && { id: img.Id, tags: realTags(img.RepoTags), digests: realDigests(img.RepoDigests), parentId: img.Parent ?? "" };
    },
    async imageUsers(id) {
      // `ancestor` matches containers of this image and of every image built on it.
      const infos = await docker.listContainers({ all: true, filters: { ancestor: [id] } });
      return infos.map((c) => ({ name: containerName(c.Names, c.Id), imageId: c.ImageID }));
    },
    removeImage: (id) => removeImageById(docker, id),

    async buildCache() {
      const df = await rawDf(docker, ["build-cache"]);
      return (df.BuildCache ?? []).filter(Boolean).map(toDfBuildCache).map(toBuildCacheFact);
    },
    async removeBuildCache(id) {
      // The engine takes one `id` filter value, matched as a regular expression: anchored, it names exactly this record.
      const answer = await new Promise<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>((resolve, reject) =>
        docker.modem.dial(
          {
            path: "/build/prune?",
            method: "POST",
            options: { _query: { all: "1", filters: JSON.stringify({ id: [`^${id}$`] }) } },
            statusCodes: { 200: true, 400: "bad parameter", 500: "server error" },
          },
          (err: unknown, data: unknown) => (err ? reject(err) : resolve((data ?? {}) as { CachesDeleted?: string[] | null; SpaceReclaimed?: number })),
        ),
      );
      return { deleted: answer.CachesDeleted ?? [], reclaimed: answer.SpaceReclaimed ?? 0 };
    },
  };
}

/**
 * Removes an image by id with all its names, without force (so the engine
 * still refuses one a container uses). Docker removes by id only an image
 * with at most one tag in one repository: the other names are untagged first,
 * one at a time, and put back if the engine then refuses the removal.
 */
async function removeImageById(docker: Docker, id: string): Promise<void> {
  const untagged: string[] = [];
  try {
    for (let round = 0; round < 256; round++) {
      const img = await docker.getImage(id).inspect();
      const tags = realTags(img.RepoTags);
      const digests = realDigests(img.RepoDigests);
      const repos = new Set([...tags, ...digests].map(repositoryOf));
      if (tags.length <= 1 && repos.size <= 1) {
        await docker.getImage(id).remove({ noprune: false });
        return;
      }
      const ref = tags[0] ?? digests[0]!;
      await docker.getImage(ref).remove({ noprune: true });
      if (tags[0]) untagged.push(tags[0]);
    }
    throw new Error(`image ${id}: too many names to remove`);
  } catch (err) {
    for (const t of untagged) {
      const repo = repositoryOf(t);
      await docker.getImage(id).tag({ repo, tag: t.slice(repo.length + 1) }).catch(() => undefined);
    }
    throw err;
  }
}
