/**
 * `docker cp` and volume browsing through the runtime (runtime/files) against
 * the private engine, with the docker CLI as the oracle: byte-exact copies both
 * ways into running and stopped containers, listings, a hostile tar refused with
 * nothing written, named and read-only volumes, browsing a volume (upload,
 * download, mkdir, rename, delete), and no helper container left behind.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import tarStream from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TarParser } from "../../runtime/files/tar-parser";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();
const P = `berth-files-${process.pid}`;
const N = { run: `${P}-run`, stopped: `${P}-stopped`, vol: `${P}-vol`, ro: `${P}-ro`, roBind: `${P}-robind`, volRo: `${P}-volro` };
const HELPERS = ["ps", "-aq", "--filter", "label=io.berth.helper=volume-browser"];
let rt: StartedRuntime;
let bindDir: string;

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const blob = randomBytes(3 * 1024 * 1024);

async function readAll(res: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function put(route: string, body: Buffer): Promise<{ status: number; json: { ok: boolean; error?: { code: string; field?: string; message: string }; entries?: number } }> {
  const res = await rt.client.upload(route, Readable.from([body]), { headers: { "content-length": String(body.length) } });
  return { status: res.statusCode ?? 0, json: JSON.parse((await readAll(res)).toString("utf8")) };
}

async function get(route: string): Promise<{ status: number; body: Buffer; stat?: string }> {
  const res = await rt.client.get(route);
  return { status: res.statusCode ?? 0, body: await readAll(res), stat: res.headers["x-berth-file-stat"] as string | undefined };
}

/** Each entry of a tar: name → data. */
function untar(tar: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let current: Buffer[] = [];
  const p = new TarParser({
    entry: (h) => {
      current = [];
      out.set(h.name, Buffer.alloc(0));
      const name = h.name;
      queueMicrotask(() => undefined);
      lastName = name;
    },
    data: (c) => {
      current.push(Buffer.from(c));
      out.set(lastName, Buffer.concat(current));
    },
  });
  let lastName = "";
  p.write(tar);
  p.end();
  return out;
}

async function makeTar(entries: { name: string; type?: "file" | "symlink" | "directory"; linkname?: string; body?: string }[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => pack.on("end", resolve));
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: e.name, type: e.type ?? "file", linkname: e.linkname, mode: 0o644 }, e.body ?? (e.type && e.type !== "file" ? undefined : ""), (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const containerRoute = (id: string, q: string) => `/files/containers/${encodeURIComponent(id)}?${q}`;
const volumeRoute = (name: string, q: string) => `/files/volumes/${encodeURIComponent(name)}?${q}`;
const qs = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** sha256 of a file in a container through `docker cp` (works running or stopped). */
function cpSha(container: string, file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-files-cp-"));
  try {
    docker("cp", `${container}:${file}`, path.join(dir, "f"));
    return sha(fs.readFileSync(path.join(dir, "f")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  rt = await startRuntime("files");
  docker("run", "-d", "--name", N.run, "busybox", "sleep", "600");
  docker("run", "--name", N.stopped, "busybox", "sh", "-c", "mkdir -p /data/empty");
  docker("volume", "create", N.vol);
  bindDir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-files-bind-"));
}, 60_000);

afterAll(async () => {
  dockerQuiet("rm", "-f", N.run, N.stopped, N.ro, N.roBind, N.volRo);
  await rt?.stop();
  dockerQuiet("volume", "rm", "-f", N.vol);
  if (bindDir) fs.rmSync(bindDir, { recursive: true, force: true });
});

describe("docker cp through the runtime", () => {
  for (const which of ["run", "stopped"] as const) {
    it(`a 3 MB file into and out of a ${which === "run" ? "running" : "stopped"} container, byte-exact`, async () => {
      const id = N[which];
      const up = await put(containerRoute(id, qs({ path: "/tmp", name: "blob.bin" })), blob);
      expect(up.status, JSON.stringify(up.json)).toBe(200);
      expect(up.json).toMatchObject({ ok: true, entries: 1 });
      expect(cpSha(id, "/tmp/blob.bin")).toBe(sha(blob));
      // The file itself, unwrapped from the engine's tar.
      const file = await get(containerRoute(id, qs({ path: "/tmp/blob.bin", file: "1" })));
      expect(file.status).toBe(200);
      expect(sha(file.body)).toBe(sha(blob));
      expect(JSON.parse(file.stat!)).toMatchObject({ name: "blob.bin", size: blob.length, type: "file" });
      // The folder as a tar, exactly what docker cp gives.
      const tar = await get(containerRoute(id, qs({ path: "/tmp" })));
      expect(tar.status).toBe(200);
      expect(sha(untar(tar.body).get("tmp/blob.bin")!)).toBe(sha(blob));
    });
  }

  it("a tar with folders and a relative link goes in as it is", async () => {
    const tar = await makeTar([{ name: "site/", type: "directory" }, { name: "site/index.html", body: "<h1>hi</h1>" }, { name: "site/home.html", type: "symlink", linkname: "index.html" }]);
    const up = await put(containerRoute(N.run, qs({ path: "/tmp" })), tar);
    expect(up.status, JSON.stringify(up.json)).toBe(200);
    expect(up.json.entries).toBe(3);
    expect(docker("exec", N.run, "cat", "/tmp/site/home.html")).toBe("<h1>hi</h1>");
  });

  it("lists a directory: first level only, types, sizes, link targets", async () => {
    const etc = await rt.client.call("files.list", { id: N.run, path: "/etc/" });
    expect(etc.path).toBe("/etc");
    const passwd = etc.entries.find((e) => e.name === "passwd");
    expect(passwd).toMatchObject({ type: "file", size: Number(docker("exec", N.run, "stat", "-c", "%s", "/etc/passwd")) });
    expect(etc.entries.map((e) => e.name).sort()).toEqual(docker("exec", N.run, "ls", "-A", "/etc").split("\n").sort());
    expect(etc.truncated).toBe(false);
    const tmp = await rt.client.call("files.list", { id: N.stopped, path: "/tmp" });
    expect(tmp.entries.find((e) => e.name === "blob.bin")).toMatchObject({ type: "file", size: blob.length });
    const site = await rt.client.call("files.list", { id: N.run, path: "/tmp/site" });
    expect(site.entries.find((e) => e.name === "home.html")).toMatchObject({ type: "symlink", target: "index.html" });
    const root = await rt.client.call("files.list", { id: N.run, path: "/" });
    expect(root.entries.find((e) => e.name === "bin")).toMatchObject({ type: "dir" });
    expect(root.entries.some((e) => e.name.includes("/"))).toBe(false);
  });

  it("a folder of 6000 entries is listed up to the cap, and says it was cut short", async () => {
    docker("exec", N.run, "sh", "-c", "mkdir -p /tmp/many && cd /tmp/many && seq -w 1 6000 | xargs touch");
    const many = await rt.client.call("files.list", { id: N.run, path: "/tmp/many" });
    expect(many.entries).toHaveLength(5000);
    expect(many.truncated).toBe(true);
    expect(many.note).toMatch(/first 5000/);
  });

  it("refuses what is not a directory, what does not exist, and bad paths, naming the field", async () => {
    expect(await callError(rt.client.call("files.list", { id: N.run, path: "/etc/passwd" }))).toMatchObject({ code: "BAD_REQUEST", field: "path" });
    expect(await callError(rt.client.call("files.list", { id: N.run, path: "/nope" }))).toMatchObject({ code: "NOT_FOUND", field: "path" });
    expect(await callError(rt.client.call("files.list", { id: N.run, path: "/etc/../root" }))).toMatchObject({ code: "BAD_REQUEST", field: "path" });
    expect(await callError(rt.client.call("files.list", { id: `${P}-missing`, path: "/" }))).toMatchObject({ code: "NOT_FOUND" });
    const badName = await put(containerRoute(N.run, qs({ path: "/tmp", name: "../x" })), Buffer.from("x"));
    expect(badName.status).toBe(400);
    expect(badName.json.error).toMatchObject({ field: "name" });
    const notDir = await get(containerRoute(N.run, qs({ path: "/etc", file: "1" })));
    expect(notDir.status).toBe(400);
  });

  it("a hostile tar is refused, the entry named, and nothing is written", async () => {
    docker("exec", N.run, "mkdir", "-p", "/tmp/target");
    const hostile = [
      { tar: await makeTar([{ name: "../escaped.txt", body: "evil" }]), entry: "../escaped.txt" },
      { tar: await makeTar([{ name: "root", type: "symlink", linkname: "/" }, { name: "root/etc/evil", body: "evil" }]), entry: "root" },
      { tar: await makeTar([{ name: "up", type: "symlink", linkname: "../../.." }]), entry: "up" },
      { tar: await makeTar([{ name: "/tmp/abs.txt", body: "evil" }]), entry: "/tmp/abs.txt" },
      // Good entries first: the whole archive is checked before any of it is written.
      { tar: await makeTar([{ name: "good.txt", body: "fine" }, { name: "sub/also-good.txt", body: "fine" }, { name: "../late-escape.txt", body: "evil" }]), entry: "../late-escape.txt" },
    ];
    for (const h of hostile) {
      const r = await put(containerRoute(N.run, qs({ path: "/tmp/target" })), h.tar);
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error).toMatchObject({ code: "BAD_REQUEST", field: "archive" });
      expect(r.json.error!.message).toContain(JSON.stringify(h.entry));
    }
    expect(docker("exec", N.run, "ls", "-A", "/tmp/target")).toBe("");
    expect(docker("exec", N.run, "sh", "-c", "ls /tmp/escaped.txt /tmp/abs.txt /etc/evil 2>&1 || true")).not.toMatch(/^\/(tmp|etc)\/[a-z.]+$/m);
  });
});

describe("volumes", () => {
  it("a named volume written by one container is read by another", () => {
    docker("run", "--rm", "-v", `${N.vol}:/data`, "busybox", "sh", "-c", "echo hello from one > /data/greeting");
    expect(docker("run", "--rm", "-v", `${N.vol}:/data`, "busybox", "cat", "/data/greeting")).toBe("hello from one");
  });

  it("a read-only volume or bind refuses a write, in the container and through the runtime", async () => {
    for (const [name, mount] of [[N.ro, `${N.vol}:/data:ro`], [N.roBind, `${bindDir}:/data:ro`]] as const) {
      let failed: string | undefined;
      try {
        execFileSync("docker", ["run", "--name", name, "-v", mount, "busybox", "sh", "-c", "echo x > /data/written"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (err) {
        failed = String((err as { stderr?: string }).stderr);
      }
      expect(failed).toMatch(/Read-only file system/);
      const r = await put(containerRoute(name, qs({ path: "/data", name: "x.txt" })), Buffer.from("x"));
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ field: "path" });
      expect(r.json.error!.message).toMatch(/read-only/i);
    }
    expect(fs.readdirSync(bindDir)).toEqual([]);
  });

  it("browses a volume: list, upload and download byte-exact, mkdir, rename, delete", async () => {
    const root = await rt.client.call("files.volumeList", { id: N.vol, path: "/" });
    expect(root.path).toBe("/");
    expect(root.entries.find((e) => e.name === "greeting")).toMatchObject({ type: "file", size: "hello from one\n".length });
    // A helper mounts it while the runtime browses.
    expect(docker(...HELPERS)).not.toBe("");

    await rt.client.call("files.volumeMkdir", { id: N.vol, path: "/docs/2026" });
    const up = await put(volumeRoute(N.vol, qs({ path: "/docs/2026", name: "blob.bin" })), blob);
    expect(up.status, JSON.stringify(up.json)).toBe(200);
    expect(docker("run", "--rm", "-v", `${N.vol}:/data`, "busybox", "sha256sum", "/data/docs/2026/blob.bin").split(" ")[0]).toBe(sha(blob));
    const down = await get(volumeRoute(N.vol, qs({ path: "/docs/2026/blob.bin", file: "1" })));
    expect(down.status).toBe(200);
    expect(sha(down.body)).toBe(sha(blob));
    const tar = await get(volumeRoute(N.vol, qs({ path: "/docs" })));
    expect(sha(untar(tar.body).get("docs/2026/blob.bin")!)).toBe(sha(blob));

    await rt.client.call("files.volumeRename", { id: N.vol, path: "/docs", to: "/papers" });
    expect((await rt.client.call("files.volumeList", { id: N.vol, path: "/papers/2026" })).entries.map((e) => e.name)).toEqual(["blob.bin"]);
    expect(await callError(rt.client.call("files.volumeRename", { id: N.vol, path: "/greeting", to: "/papers" }))).toMatchObject({ code: "CONFLICT", field: "to" });
    expect(await callError(rt.client.call("files.volumeDelete", { id: N.vol, path: "/" }))).toMatchObject({ code: "BAD_REQUEST", field: "path" });
    await rt.client.call("files.volumeDelete", { id: N.vol, path: "/papers" });
    expect(docker("run", "--rm", "-v", `${N.vol}:/data`, "busybox", "ls", "-A", "/data")).toBe("greeting");

    // A hostile tar into a volume: refused like into a container.
    const hostile = await put(volumeRoute(N.vol, qs({ path: "/" })), await makeTar([{ name: "../../etc/x", body: "e" }]));
    expect(hostile.json.error).toMatchObject({ field: "archive" });
  });

  it("a volume that does not exist is NOT_FOUND and is not created", async () => {
    const missing = `${P}-missing`;
    expect(await callError(rt.client.call("files.volumeList", { id: missing, path: "/" }))).toMatchObject({ code: "NOT_FOUND", field: "id" });
    expect(docker("volume", "ls", "-q", "--filter", `name=${missing}`)).toBe("");
  });

  it("releasing a volume removes its helpers at once, so the volume can be removed", async () => {
    const other = `${P}-released`;
    docker("volume", "create", other);
    try {
      await rt.client.call("files.volumeList", { id: other, path: "/" });
      const mine = ["ps", "-aq", "--filter", `label=io.berth.volume=${other}`];
      expect(docker(...mine)).not.toBe("");
      expect(await rt.client.call("files.volumeRelease", { id: other })).toEqual({ id: other, helpers: 1 });
      expect(docker(...mine)).toBe("");
      docker("volume", "rm", other);
    } finally {
      dockerQuiet("volume", "rm", "-f", other);
    }
  });

  it("no helper container remains once the runtime stops, and a restart sweeps what a killed one left", async () => {
    await rt.client.call("files.volumeList", { id: N.vol, path: "/" });
    expect(docker(...HELPERS)).not.toBe("");
    await rt.stop();
    expect(docker(...HELPERS)).toBe("");

    // Killed without a chance to clean up, then started again on the same data directory.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-files-restart-"));
    try {
      const first = await startRuntime("files-a", { dataDir });
      await first.client.call("files.volumeList", { id: N.vol, path: "/" });
      await first.stop("SIGKILL");
      expect(docker(...HELPERS)).not.toBe("");
      rt = await startRuntime("files-b", { dataDir });
      await expect.poll(() => docker(...HELPERS), { timeout: 15_000 }).toBe("");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
