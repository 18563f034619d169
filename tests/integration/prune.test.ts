/**
 * Prune previews equal what the engine then removes, against the private
 * engine, with Docker itself as the oracle (its own `dangling`/`ancestor`
 * filters say what is unused). For images, volumes, networks and containers:
 * the test creates unused items, previews, then between preview and confirm
 * puts one previewed item to use and creates one new unused item; the
 * confirm skips the used one naming the container, leaves the new one alone,
 * and every other previewed item of the test is gone from the engine.
 * Also: build cache records removed by id, `system df` figures equal to the
 * engine's `/system/df`, `docker info` facts, and bad input naming the field.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import type { PrunePreview } from "../../runtime/system/protocol";
import { docker as cli, dockerQuiet as quiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-prune-${process.pid}`;
const n = (s: string) => `${prefix}-${s}`;
const engine = new Docker();
const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);
const exists = (...args: string[]) => {
  try {
    cli(...args);
    return true;
  } catch {
    return false;
  }
};

let runtime: StartedRuntime;
let client: RuntimeClient;
let ctx: string;

/** `docker build` with the classic builder (it records parent images), from a Dockerfile text; answers the image id. */
function build(tag: string, dockerfile: string): string {
  fs.writeFileSync(path.join(ctx, "Dockerfile"), dockerfile);
  execFileSync("docker", ["build", "-q", "-t", tag, ctx], { env: { ...process.env, DOCKER_BUILDKIT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  return cli("image", "inspect", "-f", "{{.Id}}", tag);
}

const itemIds = (p: PrunePreview) => p.items.map((i) => i.id).sort();

beforeAll(async () => {
  ctx = fs.mkdtempSync(path.join(os.tmpdir(), "berth-prune-ctx-"));
  runtime = await startRuntime("prune");
  client = runtime.client;
});

afterAll(async () => {
  try {
    const ours = lines(cli("ps", "-aq", "--filter", `name=${prefix}`));
    if (ours.length) quiet("rm", "-f", ...ours);
    for (const net of lines(cli("network", "ls", "-q", "--filter", `name=${prefix}`))) quiet("network", "rm", net);
    for (const v of lines(cli("volume", "ls", "-q", "--filter", `label=${prefix}`))) quiet("volume", "rm", "-f", v);
    for (const i of lines(cli("images", "-q", "--filter", `label=${prefix}`))) quiet("rmi", "-f", i);
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
    await runtime?.stop();
  }
});

describe("images", () => {
  it("previews what Docker calls unused, and the confirm removes exactly those by id, skipping one a container started to use", async () => {
    const base = `FROM busybox\nLABEL ${prefix}=1\n`;
    const a = build(`${n("a")}:1`, `${base}RUN echo a > /a\n`);
    const b = build(`${n("b")}:1`, `${base}RUN echo b > /b\nRUN echo b2 > /b2\n`);
    // Built twice under one tag: the first becomes dangling.
    const dangling = build(`${n("d")}:1`, `${base}RUN echo d1 > /d\n`);
    const d2 = build(`${n("d")}:1`, `${base}RUN echo d2 > /d\n`);
    expect(dangling).not.toBe(d2);
    const usedNow = build(`${n("used")}:1`, `${base}RUN echo u > /u\n`);
    cli("create", "--name", n("image-user"), `${n("used")}:1`, "true");

    // Docker's own answer: top-level images no container (any state) uses, its `ancestor` filter covering parent chains.
    const oracle = lines(cli("images", "-q", "--no-trunc"))
      .filter((id, i, all) => all.indexOf(id) === i)
      .filter((id) => lines(cli("ps", "-aq", "--filter", `ancestor=${id}`)).length === 0)
      .sort();
    const all = await client.call("system.prunePreview", { kind: "images", options: { images: "all" } });
    expect(itemIds(all)).toEqual(oracle);
    expect(itemIds(all)).toEqual(expect.arrayContaining([a, b, dangling, d2].sort()));
    expect(itemIds(all)).not.toContain(usedNow);
    expect(all.kept.find((k) => k.id === usedNow)?.reason).toBe(`in use by container ${n("image-user")}`);
    expect(all.items.find((i) => i.id === b)).toMatchObject({ name: `${n("b")}:1`, note: "and 1 untagged parent layer" });
    expect(all.totalSize).toBe(all.items.reduce((s, i) => s + i.size, 0));

    const danglingOnly = await client.call("system.prunePreview", { kind: "images", options: { images: "dangling" } });
    expect(itemIds(danglingOnly)).toEqual(lines(cli("images", "-q", "--no-trunc", "--filter", "dangling=true")).sort());
    expect(itemIds(danglingOnly)).toContain(dangling);
    expect(itemIds(danglingOnly)).not.toContain(a);

    // Between preview and confirm: a previewed image comes into use, a new unused one appears.
    cli("create", "--name", n("late-user"), `${n("a")}:1`, "true");
    const fresh = build(`${n("fresh")}:1`, `${base}RUN echo fresh > /f\n`);
    const mine = all.items.filter((i) => [a, b, dangling, d2].includes(i.id)).map((i) => ({ type: i.type, id: i.id }));
    const r = await client.call("system.pruneConfirm", { kind: "images", options: { images: "all" }, items: mine });

    expect(r.results.find((x) => x.id === a)).toMatchObject({ outcome: "skipped", reason: `in use by container ${n("late-user")}` });
    for (const id of [b, dangling, d2]) expect(r.results.find((x) => x.id === id)).toMatchObject({ outcome: "removed" });
    expect(r).toMatchObject({ removed: 3, skipped: 1, failed: 0 });
    expect(r.spaceReclaimed).toBeGreaterThanOrEqual(0);
    for (const id of [b, dangling, d2]) expect(exists("image", "inspect", id)).toBe(false);
    expect(exists("image", "inspect", a)).toBe(true);
    expect(exists("image", "inspect", fresh)).toBe(true);
    // The untagged parent layer of b went with it, as Docker's prune takes it along.
    expect(exists("image", "inspect", b)).toBe(false);
  });

  it("removes an image with several tags in several repositories by id, all its names with it", async () => {
    const id = build(`${n("multi")}:1`, `FROM busybox\nLABEL ${prefix}=1\nRUN echo m > /m\n`);
    cli("tag", `${n("multi")}:1`, `${n("multi")}:2`);
    cli("tag", `${n("multi")}:1`, `${n("multi-other")}:1`);
    const r = await client.call("system.pruneConfirm", { kind: "images", options: { images: "all" }, items: [{ type: "image", id }] });
    expect(r.results[0]).toMatchObject({ outcome: "removed", name: expect.stringContaining(n("multi")) });
    expect(exists("image", "inspect", id)).toBe(false);
  });
});

describe("volumes", () => {
  it("previews the volumes Docker calls dangling, and the confirm skips one a container mounted since", async () => {
    const label = ["--label", `${prefix}=1`];
    for (const v of ["v1", "v2", "v3"]) cli("volume", "create", ...label, n(v));
    const anon = cli("volume", "create", ...label);
    cli("volume", "create", ...label, n("mounted"));
    cli("create", "--name", n("vol-user"), "-v", `${n("mounted")}:/data`, "busybox", "true");

    const all = await client.call("system.prunePreview", { kind: "volumes", options: { volumes: "all" } });
    expect(itemIds(all)).toEqual(lines(cli("volume", "ls", "-q", "--filter", "dangling=true")).sort());
    expect(itemIds(all)).toEqual(expect.arrayContaining([n("v1"), n("v2"), n("v3"), anon]));
    expect(itemIds(all)).not.toContain(n("mounted"));

    const anonymousOnly = await client.call("system.prunePreview", { kind: "volumes", options: { volumes: "anonymous" } });
    expect(itemIds(anonymousOnly)).toContain(anon);
    expect(itemIds(anonymousOnly)).not.toContain(n("v1"));
    expect(anonymousOnly.kept.find((k) => k.id === n("v1"))?.reason).toMatch(/^named volume/);

    cli("create", "--name", n("late-vol-user"), "-v", `${n("v1")}:/data`, "busybox", "true");
    cli("volume", "create", ...label, n("v4"));
    const mine = all.items.filter((i) => [n("v1"), n("v2"), n("v3"), anon].includes(i.id)).map((i) => ({ type: i.type, id: i.id }));
    const r = await client.call("system.pruneConfirm", { kind: "volumes", options: { volumes: "all" }, items: mine });
    expect(r.results.find((x) => x.id === n("v1"))).toMatchObject({ outcome: "skipped", reason: `in use by container ${n("late-vol-user")}` });
    expect(r).toMatchObject({ removed: 3, skipped: 1, failed: 0 });
    for (const v of [n("v2"), n("v3"), anon]) expect(exists("volume", "inspect", v)).toBe(false);
    for (const v of [n("v1"), n("v4"), n("mounted")]) expect(exists("volume", "inspect", v)).toBe(true);
  });
});

describe("networks", () => {
  it("previews the networks Docker calls dangling (never bridge, host, none), and skips one a container connected to since", async () => {
    const nets = Object.fromEntries(["n1", "n2", "n3"].map((k) => [k, cli("network", "create", "--label", `${prefix}=1`, n(k))]));
    const preview = await client.call("system.prunePreview", { kind: "networks", options: {} });
    expect(itemIds(preview)).toEqual(lines(cli("network", "ls", "-q", "--no-trunc", "--filter", "dangling=true")).sort());
    expect(itemIds(preview)).toEqual(expect.arrayContaining(Object.values(nets)));
    expect(preview.items.map((i) => i.name)).not.toContain("bridge");

    cli("run", "-d", "--name", n("net-user"), "--network", n("n1"), "busybox", "sleep", "300");
    const n4 = cli("network", "create", "--label", `${prefix}=1`, n("n4"));
    const r = await client.call("system.pruneConfirm", { kind: "networks", options: {}, items: Object.values(nets).map((id) => ({ type: "network" as const, id })) });
    expect(r.results.find((x) => x.id === nets.n1)).toMatchObject({ outcome: "skipped", name: n("n1"), reason: `in use by container ${n("net-user")}` });
    expect(r).toMatchObject({ removed: 2, skipped: 1, failed: 0 });
    expect(exists("network", "inspect", nets.n2!)).toBe(false);
    expect(exists("network", "inspect", nets.n3!)).toBe(false);
    expect(exists("network", "inspect", nets.n1!)).toBe(true);
    expect(exists("network", "inspect", n4)).toBe(true);
    quiet("rm", "-f", n("net-user"));
  });
});

describe("containers", () => {
  it("previews every container not running, and skips one started since", async () => {
    const ids = Object.fromEntries(["c1", "c2", "c3"].map((k) => [k, cli("create", "--name", n(k), "busybox", "sleep", "300")]));
    cli("run", "-d", "--name", n("running"), "busybox", "sleep", "300");
    const preview = await client.call("system.prunePreview", { kind: "containers", options: {} });
    const stopped = lines(cli("ps", "-aq", "--no-trunc", "--filter", "status=created", "--filter", "status=exited", "--filter", "status=dead")).sort();
    expect(itemIds(preview)).toEqual(stopped);
    expect(itemIds(preview)).toEqual(expect.arrayContaining(Object.values(ids)));

    cli("start", n("c1"));
    const c4 = cli("create", "--name", n("c4"), "busybox", "true");
    const r = await client.call("system.pruneConfirm", { kind: "containers", options: {}, items: Object.values(ids).map((id) => ({ type: "container" as const, id })) });
    expect(r.results.find((x) => x.id === ids.c1)).toMatchObject({ outcome: "skipped", reason: "is running now", name: n("c1") });
    expect(r).toMatchObject({ removed: 2, skipped: 1, failed: 0 });
    expect(exists("container", "inspect", ids.c2!)).toBe(false);
    expect(exists("container", "inspect", ids.c3!)).toBe(false);
    expect(exists("container", "inspect", c4)).toBe(true);
  });
});

describe("build cache", () => {
  it("removes the previewed records by id, and leaves the others", async () => {
    fs.writeFileSync(path.join(ctx, "Dockerfile"), `FROM busybox\nRUN echo ${prefix} > /x\n`);
    execFileSync("tar", ["-cf", path.join(ctx, "..", `${path.basename(ctx)}.tar`), "-C", ctx, "Dockerfile"]);
    const tar = path.join(ctx, "..", `${path.basename(ctx)}.tar`);
    // BuildKit (version 2) is what keeps build cache records.
    const stream = await engine.buildImage(tar, { t: `${n("bk")}:1`, version: "2", labels: { [prefix]: "1" } } as Docker.ImageBuildOptions);
    await new Promise((resolve, reject) => engine.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(undefined))));
    fs.rmSync(tar, { force: true });

    const raw = (await engine.df()) as { BuildCache?: { ID: string; InUse: boolean; Shared: boolean }[] };
    const unused = (raw.BuildCache ?? []).filter((b) => !b.InUse);
    expect(unused.length).toBeGreaterThan(0);
    const preview = await client.call("system.prunePreview", { kind: "build-cache", options: { buildCache: "all" } });
    expect(itemIds(preview)).toEqual(unused.map((b) => b.ID).sort());
    const dangling = await client.call("system.prunePreview", { kind: "build-cache", options: { buildCache: "dangling" } });
    expect(itemIds(dangling)).toEqual(unused.filter((b) => !b.Shared).map((b) => b.ID).sort());

    // This test's own record (its RUN step names the prefix): another file's build running at the same time
    // may be using a shared record (a "local" context), which the engine rightly keeps.
    const first = preview.items.find((i) => i.name.includes(prefix));
    expect(first, JSON.stringify(preview.items.map((i) => i.name))).toBeDefined();
    const rest = preview.items.filter((i) => i !== first);
    const r = await client.call("system.pruneConfirm", { kind: "build-cache", options: { buildCache: "all" }, items: [{ type: "build-cache", id: first!.id }] });
    expect(r.results).toEqual([expect.objectContaining({ id: first!.id, outcome: "removed" })]);
    const after = ((await engine.df()) as { BuildCache?: { ID: string }[] }).BuildCache?.map((b) => b.ID) ?? [];
    expect(after).not.toContain(first!.id);
    expect(after).toEqual(expect.arrayContaining(rest.map((i) => i.id)));
  });
});

describe("system", () => {
  it("counts what only the stopped containers it removes use as unused, and removes containers before their image and volume", async () => {
    const image = build(`${n("sys")}:1`, `FROM busybox\nLABEL ${prefix}=1\nRUN echo sys > /s\n`);
    cli("volume", "create", "--label", `${prefix}=1`, n("sys-vol"));
    const net = cli("network", "create", "--label", `${prefix}=1`, n("sys-net"));
    const container = cli("create", "--name", n("sys-old"), "-v", `${n("sys-vol")}:/data`, "--network", n("sys-net"), `${n("sys")}:1`, "true");

    const onlyImages = await client.call("system.prunePreview", { kind: "images", options: { images: "all" } });
    expect(itemIds(onlyImages)).not.toContain(image);
    const preview = await client.call("system.prunePreview", { kind: "system", options: { images: "all", includeVolumes: true, volumes: "all" } });
    const byId = new Map(preview.items.map((i) => [i.id, i]));
    expect(byId.get(container)).toMatchObject({ type: "container", name: n("sys-old") });
    expect(byId.get(image)).toMatchObject({ type: "image" });
    expect(byId.get(n("sys-vol"))).toMatchObject({ type: "volume" });
    expect(byId.get(net)).toMatchObject({ type: "network" });
    const withoutVolumes = await client.call("system.prunePreview", { kind: "system", options: { images: "all" } });
    expect(withoutVolumes.items.some((i) => i.type === "volume")).toBe(false);

    // Sent in the wrong order on purpose: the runtime removes the container first.
    const items = [
      { type: "image" as const, id: image },
      { type: "volume" as const, id: n("sys-vol") },
      { type: "network" as const, id: net },
      { type: "container" as const, id: container },
    ];
    const r = await client.call("system.pruneConfirm", { kind: "system", options: { images: "all", includeVolumes: true, volumes: "all" }, items });
    expect(r.results.map((x) => [x.type, x.outcome])).toEqual([
      ["container", "removed"],
      ["network", "removed"],
      ["volume", "removed"],
      ["image", "removed"],
    ]);
    expect(exists("image", "inspect", image)).toBe(false);
    expect(exists("volume", "inspect", n("sys-vol"))).toBe(false);
  });
});

describe("system df and info", () => {
  it("system.df's figures are the engine's /system/df totals, counted as docker system df counts them", async () => {
    const du = await client.call("system.df", {});
    const raw = (await engine.df()) as { LayersSize: number; Images: unknown[]; Containers: { State: string; SizeRw?: number }[]; Volumes: { UsageData: { Size: number; RefCount: number } }[]; BuildCache: unknown[] | null };
    expect(du.layersSize).toBe(raw.LayersSize);
    expect(du.images.size).toBe(raw.LayersSize);
    expect(du.images.total).toBe(raw.Images.length);
    expect(du.containers.total).toBe(raw.Containers.length);
    expect(du.containers.size).toBe(raw.Containers.reduce((s, c) => s + (c.SizeRw ?? 0), 0));
    expect(du.volumes.total).toBe(raw.Volumes.length);
    expect(du.volumes.size).toBe(raw.Volumes.reduce((s, v) => s + Math.max(0, v.UsageData.Size), 0));
    expect(du.volumes.reclaimable).toBe(raw.Volumes.filter((v) => v.UsageData.RefCount === 0).reduce((s, v) => s + Math.max(0, v.UsageData.Size), 0));
    expect(du.buildCache.total).toBe(raw.BuildCache?.length ?? 0);
    // The docker CLI's own summary: the same counts and active counts.
    const rows = lines(cli("system", "df", "--format", "{{json .}}")).map((l) => JSON.parse(l) as { Type: string; TotalCount: string | number; Active: string | number });
    const row = (t: string) => rows.find((r) => r.Type === t)!;
    expect([du.images.total, du.images.active].map(String)).toEqual([row("Images").TotalCount, row("Images").Active].map(String));
    expect([du.containers.total, du.containers.active].map(String)).toEqual([row("Containers").TotalCount, row("Containers").Active].map(String));
    expect([du.volumes.total, du.volumes.active].map(String)).toEqual([row("Local Volumes").TotalCount, row("Local Volumes").Active].map(String));
  });

  it("system.info says what docker info and docker version say", async () => {
    const info = await client.call("system.info", {});
    expect(info.storageDriver).toBe(cli("info", "-f", "{{.Driver}}"));
    expect(info.cgroupVersion).toBe(cli("info", "-f", "{{.CgroupVersion}}"));
    expect(info.serverVersion).toBe(cli("version", "-f", "{{.Server.Version}}"));
    expect(info.apiVersion).toBe(cli("version", "-f", "{{.Server.APIVersion}}"));
    expect(info.dataRoot).toBe(cli("info", "-f", "{{.DockerRootDir}}"));
    expect(info.registryMirrors).toEqual(JSON.parse(cli("info", "-f", "{{json .RegistryConfig.Mirrors}}")));
    expect(info.runtimes).toContain("runc");
    expect(info.swarm.state).toBe("inactive");
    expect(info.plugins.volume).toContain("local");
    expect(info.storageStatus.length).toBeGreaterThan(0);
  });
});

describe("bad input", () => {
  it("names the field", async () => {
    let err = await callError(client.call("system.pruneConfirm", { kind: "images", options: { images: "all" }, items: [{ type: "image", id: "busybox" }] }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "items[0].id" });
    err = await callError(client.call("system.pruneConfirm", { kind: "volumes", options: { volumes: "all" }, items: [{ type: "container", id: "a".repeat(64) }] }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "items[0].type" });
    err = await callError(client.call("system.prunePreview", { kind: "everything" } as never));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "kind" });
    err = await callError(client.call("system.pruneConfirm", { kind: "volumes", items: [] }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "items" });
  });
});
