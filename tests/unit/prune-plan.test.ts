/**
 * The prune preview's decisions on plain facts, the way Docker's prune decides:
 * dangling vs all unused images with parent chains, anonymous vs all volumes,
 * networks the engine keeps, build cache shared with images, and a system
 * prune counting the stopped containers it removes first as gone.
 */
import { describe, expect, it } from "vitest";
import { type ContainerFact, type ImageFact, isAnonymousVolume, planPrune, type PruneFacts } from "../../runtime/system/prune-plan";
import { pruneConfirmInput, prunePreviewInput, pruneOptionsSchema } from "../../runtime/system/protocol";
import { diskUsage } from "../../runtime/system/df";

const hex = (c: string) => c.repeat(64).slice(0, 64);
const img = (c: string, o: Partial<ImageFact> = {}): ImageFact => ({ id: `sha256:${hex(c)}`, tags: [], digests: [], parentId: "", size: 100, sharedSize: 0, ...o });
const ctr = (c: string, o: Partial<ContainerFact> = {}): ContainerFact => ({ id: hex(c), name: `c-${c}`, imageId: "", state: "exited", volumes: [], networks: [], sizeRw: 10, ...o });
const facts = (o: Partial<PruneFacts>): PruneFacts => ({ containers: [], images: [], volumes: [], networks: [], buildCache: [], ...o });
const opts = (o: Partial<ReturnType<typeof pruneOptionsSchema.parse>> = {}) => ({ ...pruneOptionsSchema.parse({}), ...o });
const ids = (p: { items: { id: string }[] }) => p.items.map((i) => i.id);

describe("images", () => {
  const tagged = img("a", { tags: ["app:1"] });
  const dangling = img("b");
  const usedByStopped = img("c", { tags: ["used:1"] });
  const danglingUsed = img("d");
  const f = facts({ images: [tagged, dangling, usedByStopped, danglingUsed], containers: [ctr("1", { imageId: usedByStopped.id, state: "exited" }), ctr("2", { imageId: danglingUsed.id, state: "running" })] });

  it("dangling only: untagged images no container uses, whatever its state", () => {
    const p = planPrune("images", opts({ images: "dangling" }), f);
    expect(ids(p)).toEqual([dangling.id]);
    expect(p.kept).toEqual([{ type: "image", id: danglingUsed.id, name: "<none>", reason: "in use by container c-2" }]);
  });

  it("all unused: tagged ones too, never one a stopped container uses", () => {
    const p = planPrune("images", opts({ images: "all" }), f);
    expect(ids(p).sort()).toEqual([tagged.id, dangling.id].sort());
    expect(p.kept.find((k) => k.id === usedByStopped.id)?.reason).toBe("in use by container c-1");
    expect(p.totalSize).toBe(200);
  });

  it("a parent of a used image is kept, named with the container; an untagged intermediate is never listed", () => {
    const base = img("e", { tags: ["base:1"] });
    const mid = img("f", { parentId: base.id });
    const child = img("0", { tags: ["child:1"], parentId: mid.id });
    const p = planPrune("images", opts({ images: "all" }), facts({ images: [base, mid, child], containers: [ctr("3", { imageId: child.id })] }));
    expect(ids(p)).toEqual([]);
    expect(p.kept.map((k) => k.id).sort()).toEqual([base.id, child.id].sort());
    expect(p.kept.find((k) => k.id === base.id)?.reason).toMatch(/^parent of image child:1 \(000000000000\), used by container c-3$/);
  });

  it("an unused chain goes child first, with its intermediate counted in the note; a tagged parent of a kept child stays", () => {
    const base = img("e", { tags: ["base:1"] });
    const mid = img("f", { parentId: base.id });
    const child = img("0", { tags: ["child:1"], parentId: mid.id, size: 300, sharedSize: 100 });
    const p = planPrune("images", opts({ images: "all" }), facts({ images: [base, mid, child] }));
    expect(ids(p)).toEqual([child.id, base.id]);
    expect(p.items[0]).toMatchObject({ size: 200, note: "and 1 untagged parent layer" });
    expect(ids(p)).not.toContain(mid.id);
    // Dangling only: the tagged child stays, so nothing in this chain is dangling-prunable.
    expect(ids(planPrune("images", opts({ images: "dangling" }), facts({ images: [base, mid, child] })))).toEqual([]);
  });

  it("a corrupt parent loop neither hangs nor removes anything in it", () => {
    const a = img("1", { parentId: `sha256:${hex("2")}` });
    const b = img("2", { parentId: a.id });
    const p = planPrune("images", opts({ images: "all" }), facts({ images: [a, b] }));
    expect(ids(p)).toEqual([]);
  });
});

describe("volumes", () => {
  const anon = { name: hex("a"), driver: "local", labels: {}, size: 5, links: 0 };
  const labelled = { name: "built-anon", driver: "local", labels: { "com.docker.volume.anonymous": "" }, size: 6, links: 0 };
  const named = { name: "data", driver: "local", labels: {}, size: 7, links: 0 };
  const mounted = { name: "db", driver: "local", labels: {}, size: 8, links: 1 };
  const plugin = { name: "nfs1", driver: "nfs", labels: {}, size: -1, links: 0 };
  const f = facts({ volumes: [anon, labelled, named, mounted, plugin], containers: [ctr("1", { volumes: ["db"] })] });

  it("anonymous only by default (Docker 23+), recognised by label or by Docker's 64-hex name", () => {
    expect(isAnonymousVolume(anon) && isAnonymousVolume(labelled) && !isAnonymousVolume(named)).toBe(true);
    const p = planPrune("volumes", opts(), f);
    expect(ids(p)).toEqual([anon.name, labelled.name]);
    expect(p.kept.map((k) => [k.id, k.reason])).toEqual([
      ["data", "named volume (choose All unused volumes to include it)"],
      ["nfs1", "driver nfs: prune removes only local volumes"],
    ]);
  });

  it("all unused: named ones too; never a mounted one, never another driver's", () => {
    const p = planPrune("volumes", opts({ volumes: "all" }), f);
    expect(ids(p)).toEqual([anon.name, labelled.name, "data"]);
    expect(p.totalSize).toBe(18);
  });
});

describe("networks", () => {
  const n = (c: string, name: string, o: Partial<PruneFacts["networks"][number]> = {}) => ({ id: hex(c), name, driver: "bridge", scope: "local", ingress: false, connected: [], ...o });
  it("never bridge, host or none; never a connected one; notes a stopped container configured on it", () => {
    const f = facts({
      networks: [n("1", "bridge"), n("2", "host"), n("3", "none"), n("4", "used", { connected: ["web"] }), n("5", "free"), n("6", "stale"), n("7", "swarmy", { scope: "swarm" })],
      containers: [ctr("9", { name: "old", state: "exited", networks: [hex("6")] })],
    });
    const p = planPrune("networks", opts(), f);
    expect(ids(p)).toEqual([hex("5"), hex("6")]);
    expect(p.items[1]!.note).toBe("configured on stopped container old, which will not start without it");
    expect(p.kept.map((k) => k.name)).toEqual(["swarmy"]);
  });
});

describe("containers, build cache and system", () => {
  it("containers: every one not running (paused and restarting count as running)", () => {
    const f = facts({ containers: ["running", "paused", "restarting", "exited", "created", "dead"].map((state, i) => ctr(String(i), { state })) });
    expect(ids(planPrune("containers", opts(), f))).toEqual([hex("3"), hex("4"), hex("5")]);
  });

  it("build cache: unused and unshared by default, shared ones too with all; never one in use", () => {
    const b = (id: string, inUse: boolean, shared: boolean) => ({ id, description: id, inUse, shared, size: 1 });
    const f = facts({ buildCache: [b("free", false, false), b("shared", false, true), b("busy", true, false)] });
    expect(ids(planPrune("build-cache", opts(), f))).toEqual(["free"]);
    expect(ids(planPrune("build-cache", opts({ buildCache: "all" }), f))).toEqual(["free", "shared"]);
  });

  it("system: what only the stopped containers it removes used goes too; volumes only when asked", () => {
    const image = img("a", { tags: ["old:1"] });
    const f = facts({
      images: [image],
      containers: [ctr("1", { imageId: image.id, state: "exited", volumes: ["data"] })],
      volumes: [{ name: "data", driver: "local", labels: {}, size: 1, links: 1 }],
    });
    const p = planPrune("system", opts({ images: "all" }), f);
    expect(p.items.map((i) => i.type)).toEqual(["container", "image"]);
    expect(p.notes).toContain("Volumes are not included (as docker system prune without --volumes).");
    const withVolumes = planPrune("system", opts({ images: "all", includeVolumes: true, volumes: "all" }), f);
    expect(withVolumes.items.map((i) => `${i.type}:${i.id}`)).toEqual([`container:${hex("1")}`, "volume:data", `image:${image.id}`]);
  });
});

describe("input", () => {
  it("names the field of a bad id, a type the kind does not remove, and too many items", () => {
    const bad = pruneConfirmInput.safeParse({ kind: "images", items: [{ type: "image", id: "sha256:abc" }, { type: "volume", id: "x1" }] });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(["items.0.id", "items.1.type"]);
    const many = pruneConfirmInput.safeParse({ kind: "volumes", items: Array.from({ length: 5001 }, (_, i) => ({ type: "volume", id: `v${i}x` })) });
    expect(many.error?.issues[0]?.path).toEqual(["items"]);
    expect(pruneConfirmInput.safeParse({ kind: "volumes", items: [{ type: "volume", id: "../etc" }] }).error?.issues[0]?.path).toEqual(["items", 0, "id"]);
    expect(pruneConfirmInput.safeParse({ kind: "build-cache", items: [{ type: "build-cache", id: "a.*" }] }).success).toBe(false);
    expect(prunePreviewInput.safeParse({ kind: "everything" }).error?.issues[0]?.path).toEqual(["kind"]);
    expect(prunePreviewInput.parse({ kind: "system" }).options).toEqual({ images: "dangling", volumes: "anonymous", buildCache: "dangling", includeVolumes: false });
  });
});

describe("system df", () => {
  it("computes each summary as the docker CLI does", () => {
    const du = diskUsage({
      LayersSize: 1000,
      Images: [
        { Id: "a", Size: 600, SharedSize: 100, Containers: 1, RepoTags: ["a:1"] },
        { Id: "b", Size: 500, SharedSize: 100, Containers: 0, RepoTags: ["<none>:<none>"] },
      ],
      Containers: [
        { Id: "c1", Names: ["/web"], State: "running", SizeRw: 10 },
        { Id: "c2", Names: ["/old"], State: "exited", SizeRw: 20 },
      ],
      Volumes: [
        { Name: "v1", UsageData: { Size: 30, RefCount: 1 } },
        { Name: "v2", UsageData: { Size: 40, RefCount: 0 } },
        { Name: "v3", UsageData: { Size: -1, RefCount: 0 } },
      ],
      BuildCache: [
        { ID: "x", InUse: false, Shared: false, Size: 5 },
        { ID: "y", InUse: true, Shared: false, Size: 6 },
        { ID: "z", InUse: false, Shared: true, Size: 7 },
      ],
    });
    expect(du.images).toMatchObject({ total: 2, active: 1, size: 1000, reclaimable: 500 });
    expect(du.images.items[1]!.tags).toEqual([]);
    expect(du.containers).toMatchObject({ total: 2, active: 1, size: 30, reclaimable: 20 });
    expect(du.volumes).toMatchObject({ total: 3, active: 1, size: 70, reclaimable: 40 });
    expect(du.buildCache).toMatchObject({ total: 3, active: 1, size: 11, reclaimable: 5 });
  });
});
