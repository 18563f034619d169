/**
 * Images through the runtime against the private engine (the docker CLI is the
 * oracle): build (CMD vs ENTRYPOINT, as the notes teach it), list flags,
 * inspect, commit + run, save → rmi → load, export → import → run, tag and
 * untag-only removal, and hostile inputs refused with the field named.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import type { TaskSummary } from "../../runtime/tasks/protocol";
import { docker, dockerQuiet as quiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-img-${process.pid}`;
const repo = (s: string) => `${prefix}-${s}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "berth-img-test-"));

let runtime: StartedRuntime;
let client: RuntimeClient;

beforeAll(async () => {
  runtime = await startRuntime("images");
  client = runtime.client;
  docker("pull", "busybox");
});

afterAll(async () => {
  try {
    const ours = docker("ps", "-aq", "--filter", `name=${prefix}`).split("\n").filter(Boolean);
    if (ours.length) quiet("rm", "-f", ...ours);
    const images = docker("images", "--format", "{{.Repository}}:{{.Tag}}").split("\n").filter((r) => r.startsWith(prefix));
    if (images.length) quiet("rmi", "-f", ...images);
    quiet("image", "prune", "-f");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await runtime?.stop();
  }
});

/** A tar of `files` (path → content), as a build context. */
function tarOf(files: Record<string, string>): Readable {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content);
  pack.finalize();
  return pack as unknown as Readable;
}

async function readJson(res: http.IncomingMessage): Promise<{ status: number; body: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return { status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> };
}

const q = (p: unknown) => `?p=${encodeURIComponent(JSON.stringify(p))}`;

async function waitTask(id: string, timeoutMs = 60_000): Promise<TaskSummary> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const t = (await client.call("tasks.list", {})).find((x) => x.id === id);
    if (t && t.state !== "running") return t;
    if (Date.now() > until) throw new Error(`task ${id} still running`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function build(files: Record<string, string>, params: Record<string, unknown>): Promise<TaskSummary> {
  const { status, body } = await readJson(await client.upload(`/images/build${q(params)}`, tarOf(files)));
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.taskId).toMatch(/^t_/);
  return waitTask(body.taskId as string);
}

const run = (...args: string[]) => docker("run", "--rm", ...args);
const runFails = (...args: string[]) => {
  try {
    run(...args);
    return undefined;
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
};

describe("images", () => {
  it("builds CMD and ENTRYPOINT images: an extra argument replaces CMD and is appended to ENTRYPOINT", async () => {
    const cmd = await build({ Dockerfile: 'FROM busybox\nCMD ["ls","-a"]\n' }, { tags: [`${repo("cmd")}:v1`] });
    expect(cmd.state, JSON.stringify(cmd.error)).toBe("succeeded");
    const ep = await build({ Dockerfile: 'FROM busybox\nENTRYPOINT ["ls","-a"]\n' }, { tags: [`${repo("ep")}:v1`, `${repo("ep")}:v2`] });
    expect(ep.state, JSON.stringify(ep.error)).toBe("succeeded");
    const epId = (ep.result as { id: string }).id;
    expect(epId).toBe(docker("image", "inspect", "-f", "{{.Id}}", `${repo("ep")}:v2`));

    // Without arguments both list the root with its dot entries.
    expect(run(`${repo("cmd")}:v1`).split("\n")).toContain(".");
    expect(run(`${repo("ep")}:v1`).split("\n")).toContain(".");
    // CMD replaced: `-l` alone is no command.
    expect(runFails(`${repo("cmd")}:v1`, "-l")).toMatch(/-l|not found|no such file/i);
    // ENTRYPOINT appended: `ls -a -l`, a long listing that includes `.`.
    const long = run(`${repo("ep")}:v1`, "-l");
    expect(long).toMatch(/^d[rwx-]{9}.* \.$/m);

    const cmdInfo = await client.call("images.inspect", { id: `${repo("cmd")}:v1` });
    expect(cmdInfo.cmd).toEqual(["ls", "-a"]);
    expect(cmdInfo.entrypoint).toBeNull();
    expect(cmdInfo.history.some((h) => h.createdBy.includes("CMD"))).toBe(true);
    expect(cmdInfo.os).toBe("linux");
    const epInfo = await client.call("images.inspect", { id: epId });
    expect(epInfo.entrypoint).toEqual(["ls", "-a"]);
    expect(epInfo.tags.sort()).toEqual([`${repo("ep")}:v1`, `${repo("ep")}:v2`]);
  });

  it("streams the build's output as task lines, with build args, target and a Dockerfile elsewhere", async () => {
    const t = await build(
      { "sub/My.Dockerfile": "FROM busybox AS base\nARG GREETING\nRUN echo \"say $GREETING\"\nFROM base AS final\nRUN echo never\n", "data.txt": "x" },
      { tags: [`${repo("args")}:v1`], dockerfile: "sub/My.Dockerfile", buildArgs: { GREETING: "hello-from-arg" }, target: "base", noCache: true },
    );
    expect(t.state, JSON.stringify(t.error)).toBe("succeeded");
    const lines = await new Promise<string[]>((resolve, reject) => {
      const s = client.stream("tasks", { id: t.id }, {
        onFrame: (buf) => {
          const f = JSON.parse(buf.toString()) as { type: string; lines?: string[] };
          if (f.type === "detail") {
            resolve(f.lines ?? []);
            s.close();
          }
        },
        onClose: (d) => reject(new Error(d ?? "closed")),
      });
    });
    expect(lines.some((l) => l.includes("say hello-from-arg"))).toBe(true);
    expect(lines.some((l) => l.includes("never"))).toBe(false);
  });

  it("a failing build fails its task with the engine's words", async () => {
    const t = await build({ Dockerfile: "FROM busybox\nRUN exit 3\n" }, { tags: [`${repo("fail")}:v1`] });
    expect(t.state).toBe("failed");
    expect(t.error?.message).toMatch(/exit|non-zero|returned/i);
  });

  it("refuses hostile or malformed build, import and save inputs, naming the field", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["/images/build", { dockerfile: "../Dockerfile" }, "dockerfile"],
      ["/images/build", { dockerfile: "/etc/passwd" }, "dockerfile"],
      ["/images/build", { tags: ["web:-bad"] }, "tags[0]"],
      ["/images/build", { tags: ["web@sha256:" + "a".repeat(64)] }, "tags[0]"],
      ["/images/build", { buildArgs: { "1bad": "x" } }, "buildArgs"],
      ["/images/build", { target: "a b" }, "target"],
      ["/images/import", { changes: ["RUN rm -rf /"] }, "changes[0]"],
      ["/images/import", { repository: "a/../b" }, "repository"],
    ];
    for (const [route, p, field] of cases) {
      const { status, body } = await readJson(await client.upload(`${route}${q(p)}`, tarOf({ Dockerfile: "FROM busybox\n" })));
      expect(status, `${route} ${JSON.stringify(p)}`).toBe(400);
      const error = body.error as { field?: string; message: string };
      expect(error.field, error.message).toMatch(new RegExp(`^${field.replace(/[[\]]/g, "\\$&")}`));
      expect(error.message).toContain(field.split("[")[0]!);
    }
    const save = await readJson(await client.get(`/images/save?names=${encodeURIComponent("../x")}`));
    expect(save.status).toBe(400);
    expect((save.body.error as { field: string }).field).toBe("names[0]");
    const missing = await readJson(await client.get(`/images/save?names=busybox&names=${repo("nope")}:x`));
    expect(missing.status).toBe(404);
    expect((missing.body.error as { field: string }).field).toBe("names[1]");
    expect((await callError(client.call("images.inspect", { id: "../../etc" }))).field).toBe("id");
    expect((await callError(client.call("images.tag", { id: "busybox", repository: "ok", tag: "-bad" }))).field).toBe("tag");
    expect((await callError(client.call("images.inspect", { id: `${repo("nope")}:x` }))).code).toBe("NOT_FOUND");
  });

  it("lists images with tags, containers using them, unused and dangling", async () => {
    const first = await build({ Dockerfile: 'FROM busybox\nLABEL v="1"\n' }, { tags: [`${repo("dang")}:v1`] });
    const second = await build({ Dockerfile: 'FROM busybox\nLABEL v="2"\n' }, { tags: [`${repo("dang")}:v1`] });
    const oldId = (first.result as { id: string }).id;
    const newId = (second.result as { id: string }).id;
    expect(oldId).not.toBe(newId);
    docker("create", "--name", `${prefix}-user`, `${repo("dang")}:v1`, "true");
    // The live list follows the engine's events: give it a moment.
    let list = await client.call("images.list", {});
    for (let i = 0; i < 20 && !list.find((x) => x.id === newId)?.containers.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      list = await client.call("images.list", {});
    }
    const old = list.find((x) => x.id === oldId)!;
    const now = list.find((x) => x.id === newId)!;
    expect(old).toMatchObject({ dangling: true, unused: true, tags: [] });
    expect(now).toMatchObject({ dangling: false, unused: false, tags: [`${repo("dang")}:v1`] });
    expect(now.containers.map((c) => c.name)).toEqual([`${prefix}-user`]);
    expect(now.labels.v).toBe("2");
    const detail = await client.call("images.inspect", { id: newId });
    expect(detail.containers.map((c) => c.name)).toEqual([`${prefix}-user`]);
  });

  it("commits a changed container and runs the result", async () => {
    docker("run", "--name", `${prefix}-commit`, "busybox", "sh", "-c", "echo committed > /marker");
    const r = await client.call("containers.commit", { id: `${prefix}-commit`, repository: repo("committed"), tag: "v1", changes: ['CMD ["cat","/marker"]'] });
    expect(r.imageId).toMatch(/^sha256:/);
    expect(run(`${repo("committed")}:v1`)).toBe("committed");
  });

  it("save → rmi → load gives the same image id; several images go in one tar", async () => {
    const ref = `${repo("ep")}:v1`;
    const id = docker("image", "inspect", "-f", "{{.Id}}", ref);
    const file = path.join(tmp, "saved.tar");
    const res = await client.get(`/images/save?names=${encodeURIComponent(ref)}&names=${encodeURIComponent(`${repo("cmd")}:v1`)}`);
    expect(res.statusCode).toBe(200);
    await pipeline(res, fs.createWriteStream(file));
    // Both images are in it: docker's manifest.json lists them.
    const listing = docker("run", "--rm", "-v", `${tmp}:/t:ro`, "busybox", "tar", "-xOf", "/t/saved.tar", "manifest.json");
    expect(listing).toContain(`${repo("cmd")}:v1`);
    expect(listing).toContain(ref);

    docker("rmi", ref, `${repo("ep")}:v2`, `${repo("cmd")}:v1`);
    expect(() => docker("image", "inspect", ref)).toThrow();
    const { status, body } = await readJson(await client.upload("/images/load", fs.createReadStream(file)));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.loaded).toEqual(expect.arrayContaining([ref, `${repo("cmd")}:v1`]));
    expect(docker("image", "inspect", "-f", "{{.Id}}", ref)).toBe(id);

    const bad = await readJson(await client.upload("/images/load", Readable.from([Buffer.from("this is not a tar archive".repeat(100))])));
    expect(bad.status).toBeGreaterThanOrEqual(400);
  });

  it("export → import (with CMD changes and a message) gives an image that runs", async () => {
    docker("run", "--name", `${prefix}-export`, "busybox", "sh", "-c", "echo exported > /marker");
    const exported = await client.get(`/export/containers/${prefix}-export`);
    expect(exported.statusCode).toBe(200);
    const p = { repository: repo("imported"), tag: "v1", message: "from an export", changes: ['CMD ["sh"]', "ENV FROM_IMPORT=yes"] };
    const { status, body } = await readJson(await client.upload(`/images/import${q(p)}`, exported));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.reference).toBe(`${repo("imported")}:v1`);
    expect(body.id).toBe(docker("image", "inspect", "-f", "{{.Id}}", `${repo("imported")}:v1`));
    expect(run(`${repo("imported")}:v1`, "sh", "-c", "cat /marker; echo $FROM_IMPORT")).toBe("exported\nyes");
    const info = await client.call("images.inspect", { id: `${repo("imported")}:v1` });
    expect(info.cmd).toEqual(["sh"]);
    expect(info.comment).toBe("from an export");
  });

  it("tags an image, and removing one tag of several only untags it", async () => {
    const before = docker("image", "inspect", "-f", "{{.Id}}", `${repo("imported")}:v1`);
    const t = await client.call("images.tag", { id: `${repo("imported")}:v1`, repository: repo("retag"), tag: "extra" });
    expect(t).toEqual({ id: before, reference: `${repo("retag")}:extra` });
    expect(docker("image", "inspect", "-f", "{{.Id}}", `${repo("retag")}:extra`)).toBe(before);

    const r = await client.call("images.remove", { id: `${repo("retag")}:extra` });
    expect(r).toEqual({ untagged: [`${repo("retag")}:extra`], deleted: [] });
    expect(docker("image", "inspect", "-f", "{{.Id}}", `${repo("imported")}:v1`)).toBe(before);

    // By id, with the image used by a container: refused without force (CONFLICT), removed with it.
    docker("create", "--name", `${prefix}-holder`, `${repo("imported")}:v1`);
    const conflict = await callError(client.call("images.remove", { id: before }));
    expect(conflict.code).toBe("CONFLICT");
    docker("rm", `${prefix}-holder`);
    const gone = await client.call("images.remove", { id: before });
    expect(gone.deleted).toContain(before);
    expect(() => docker("image", "inspect", before)).toThrow();
  });

  it("save and load stream a 256 MB image through without the runtime holding it", { timeout: 180_000 }, async () => {
    const ref = `${repo("big")}:v1`;
    execFileSync("docker", ["build", "-q", "-t", ref, "-"], { input: "FROM busybox\nRUN head -c 268435456 /dev/urandom > /big\n", env: { ...process.env, DOCKER_BUILDKIT: "0" }, stdio: ["pipe", "pipe", "pipe"] });
    const id = docker("image", "inspect", "-f", "{{.Id}}", ref);
    /** The runtime process's peak resident memory so far. */
    const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${runtime.child.pid}/status`, "utf8"))![1]) * 1024;
    const before = peak();
    const file = path.join(tmp, "big.tar");
    const res = await client.get(`/images/save?names=${encodeURIComponent(ref)}`);
    expect(res.statusCode).toBe(200);
    await pipeline(res, fs.createWriteStream(file));
    expect(fs.statSync(file).size).toBeGreaterThan(256 << 20);
    docker("rmi", ref);
    const { status, body } = await readJson(await client.upload("/images/load", fs.createReadStream(file)));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.loaded).toEqual([ref]);
    expect(docker("image", "inspect", "-f", "{{.Id}}", ref)).toBe(id);
    // 512 MB went through (out and back in); the runtime's peak grew by far less than one copy.
    expect(peak() - before).toBeLessThan(64 << 20);
    fs.rmSync(file);
  });
});
