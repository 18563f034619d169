/**
 * The prune confirm's decisions: it removes exactly the ids it is given (an
 * item that became unused after the preview is not touched), re-checks each
 * right before removing it (one that came into use is skipped with the
 * reason), reports the engine's refusals per item, and orders the removals
 * (containers first, a child image before its parent). The engine here is
 * plain data behind PruneEngine; the real one is in tests/integration/prune.test.ts.
 */
import { describe, expect, it } from "vitest";
import { RuntimeFailure } from "../../runtime/engine/errors";
import { classifyRemoveError, confirmOrder, type FreshImage, type PruneEngine, runPrune, skipImage, skipVolume } from "../../runtime/system/prune-confirm";
import type { BuildCacheFact, NetworkFact, VolumeFact } from "../../runtime/system/prune-plan";
import { pruneConfirmInput } from "../../runtime/system/protocol";

const hex = (c: string) => c.repeat(64).slice(0, 64);
const sha = (c: string) => `sha256:${hex(c)}`;

/** An engine as plain data: what exists, who uses what, and the order things were removed in. */
function fakeEngine() {
  const state = {
    containers: new Map<string, { name: string; state: string }>(),
    networks: new Map<string, NetworkFact>(),
    volumes: new Map<string, VolumeFact>(),
    volumeUsers: new Map<string, string[]>(),
    images: new Map<string, FreshImage>(),
    imageUsers: new Map<string, { name: string; imageId: string }[]>(),
    cache: [] as BuildCacheFact[],
    removed: [] as string[],
    /** Called before each recheck: lets a test change the engine between items. */
    beforeRead: (_id: string) => {},
    refuse: new Map<string, Error>(),
  };
  const gone = (id: string) => {
    const err = state.refuse.get(id);
    if (err) throw err;
    state.removed.push(id);
  };
  const engine: PruneEngine = {
    sizes: async () => new Map([[`volume:old`, { name: "old", size: 42 }]]),
    container: async (id) => (state.beforeRead(id), state.containers.get(id)),
    removeContainer: async (id) => (gone(id), void state.containers.delete(id)),
    network: async (id) => (state.beforeRead(id), state.networks.get(id)),
    removeNetwork: async (id) => (gone(id), void state.networks.delete(id)),
    volume: async (id) => (state.beforeRead(id), state.volumes.get(id)),
    volumeUsers: async (id) => state.volumeUsers.get(id) ?? [],
    removeVolume: async (id) => (gone(id), void state.volumes.delete(id)),
    image: async (id) => (state.beforeRead(id), state.images.get(id)),
    imageUsers: async (id) => state.imageUsers.get(id) ?? [],
    removeImage: async (id) => (gone(id), void state.images.delete(id)),
    buildCache: async () => state.cache,
    removeBuildCache: async (id) => (gone(id), { deleted: [id], reclaimed: 7 }),
  };
  return { state, engine };
}

const vol = (name: string): VolumeFact => ({ name, driver: "local", labels: {}, size: -1, links: -1 });
const confirm = (o: unknown) => pruneConfirmInput.parse(o);

describe("confirm", () => {
  it("removes exactly the listed ids: a volume unused since the preview stays; one mounted since is skipped, naming the container", async () => {
    const { state, engine } = fakeEngine();
    for (const v of ["old", "mounted", "fresh"]) state.volumes.set(v, vol(v));
    state.beforeRead = (id) => {
      // Between the preview and the removal, a container mounts one of the previewed volumes.
      if (id === "mounted") state.volumeUsers.set("mounted", ["web"]);
    };
    const r = await runPrune(confirm({ kind: "volumes", options: { volumes: "all" }, items: [{ type: "volume", id: "old" }, { type: "volume", id: "mounted" }] }), engine);
    expect(state.removed).toEqual(["old"]);
    expect([...state.volumes.keys()].sort()).toEqual(["fresh", "mounted"]);
    expect(r.results).toEqual([
      { type: "volume", id: "old", name: "old", outcome: "removed", size: 42 },
      { type: "volume", id: "mounted", name: "mounted", outcome: "skipped", reason: "in use by container web", size: 0 },
    ]);
    expect(r).toMatchObject({ removed: 1, skipped: 1, failed: 0, spaceReclaimed: 42 });
  });

  it("skips what is gone, running now, connected now or tagged now, and reports an engine refusal as skipped or failed", async () => {
    const { state, engine } = fakeEngine();
    state.containers.set(hex("1"), { name: "now-running", state: "running" });
    state.containers.set(hex("2"), { name: "stopped", state: "exited" });
    state.networks.set(hex("3"), { id: hex("3"), name: "busy", driver: "bridge", scope: "local", ingress: false, connected: ["api"] });
    state.images.set(sha("4"), { id: sha("4"), tags: ["late:1"], digests: [], parentId: "" });
    state.images.set(sha("5"), { id: sha("5"), tags: [], digests: [], parentId: "" });
    state.images.set(sha("6"), { id: sha("6"), tags: [], digests: [], parentId: "" });
    state.refuse.set(sha("5"), new RuntimeFailure({ code: "CONFLICT", message: "conflict: unable to delete 555555555555 (must be forced) - image is being used by stopped container 1a2b" }));
    state.refuse.set(sha("6"), new RuntimeFailure({ code: "INTERNAL", message: "driver failed removing layer" }));
    const r = await runPrune(
      confirm({
        kind: "system",
        items: [
          { type: "image", id: sha("4") },
          { type: "image", id: sha("5") },
          { type: "image", id: sha("6") },
          { type: "network", id: hex("3") },
          { type: "container", id: hex("1") },
          { type: "container", id: hex("2") },
          { type: "container", id: hex("9") },
        ],
      }),
      engine,
    );
    expect(r.results.map((x) => [x.name, x.outcome, x.reason])).toEqual([
      ["now-running", "skipped", "is running now"],
      ["stopped", "removed", undefined],
      [hex("9"), "skipped", "no longer exists"],
      ["busy", "skipped", "in use by container api"],
      ["late:1", "skipped", "tagged late:1 now, and this prune removes dangling images only"],
      ["<none>", "skipped", "in use: conflict: unable to delete 555555555555 (must be forced) - image is being used by stopped container 1a2b"],
      ["<none>", "failed", "driver failed removing layer"],
    ]);
    expect(state.removed).toEqual([hex("2")]);
  });

  it("an image a container now uses, directly or through a child image, is skipped", () => {
    const fresh = { id: sha("a"), tags: [], digests: [], parentId: "" };
    expect(skipImage(fresh, [{ name: "web", imageId: sha("a") }], "all")).toBe("in use by container web");
    expect(skipImage(fresh, [{ name: "web", imageId: sha("b") }], "all")).toBe("an image in use by container web is built on it");
    expect(skipImage(undefined, [], "all")).toBe("no longer exists");
    expect(skipVolume(vol("data"), [], "anonymous")).toBe("named volume, and this prune removes anonymous volumes only");
    expect(skipVolume(vol(hex("f")), [], "anonymous")).toBeUndefined();
  });

  it("a build cache record goes only if the engine deleted that very record", async () => {
    const { state, engine } = fakeEngine();
    state.cache = [{ id: "abc", description: "fileop", inUse: false, shared: false, size: 7 }, { id: "busy", description: "run", inUse: true, shared: false, size: 1 }];
    const r = await runPrune(confirm({ kind: "build-cache", items: [{ type: "build-cache", id: "abc" }, { type: "build-cache", id: "busy" }, { type: "build-cache", id: "gone" }] }), engine);
    expect(r.results.map((x) => [x.id, x.outcome, x.reason ?? ""])).toEqual([
      ["abc", "removed", ""],
      ["busy", "skipped", "in use by a build"],
      ["gone", "skipped", "no longer exists"],
    ]);
    expect(r.spaceReclaimed).toBe(7);
  });

  it("orders containers, networks, volumes, images (a child before its parent), build cache; each id once", () => {
    const parents = new Map([[sha("c"), sha("b")], [sha("b"), sha("a")]]);
    const order = confirmOrder(
      [
        { type: "build-cache", id: "x" },
        { type: "image", id: sha("a") },
        { type: "image", id: sha("c") },
        { type: "volume", id: "v1" },
        { type: "image", id: sha("b") },
        { type: "network", id: hex("n") },
        { type: "container", id: hex("1") },
        { type: "volume", id: "v1" },
      ],
      (id) => parents.get(id),
    );
    expect(order.map((i) => i.id)).toEqual([hex("1"), hex("n"), "v1", sha("c"), sha("b"), sha("a"), "x"]);
  });

  it("classifies the engine's errors", () => {
    expect(classifyRemoveError({ code: "NOT_FOUND", message: "no such volume" })).toEqual({ outcome: "skipped", reason: "no longer exists" });
    expect(classifyRemoveError({ code: "INTERNAL", message: "error while removing network: network x id 1 has active endpoints" }).outcome).toBe("skipped");
    expect(classifyRemoveError({ code: "ENGINE_UNREACHABLE", message: "socket gone" })).toEqual({ outcome: "failed", reason: "socket gone" });
  });
});
