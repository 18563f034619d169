/**
 * Pull, push and search through the runtime (runtime/transfer) against the
 * private engine and private registry, followed on `/ws/tasks` as the
 * dashboard follows them: a pull's per-layer progress and the image id it
 * ends with, bytes part-way through a download slowed to 2 MB/s, a missing
 * tag failing with NOT_FOUND in the registry's words, a pull cancelled while
 * the engine waits on a registry that never answers, tag → push (digest) →
 * remove → pull back (same digest, same id), push and pull with, without and
 * with wrong registry credentials, and a search of Docker Hub (unreachable
 * here) failing quickly with a clear error.
 * The docker CLI is the oracle.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type ChildProcess, spawn } from "node:child_process";
import { Transform } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskSummary, TasksFrame } from "../../runtime/tasks/protocol";
import { SEARCH_DEADLINE_MS } from "../../runtime/transfer/protocol";
import { RuntimeCallError } from "../../server/engines/runtime-client";
import { frameWaiter } from "./frame-waiter";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();
const REG = process.env.BERTH_TEST_REGISTRY;
if (!REG) throw new Error("BERTH_TEST_REGISTRY is unset: run tests/harness/engine.sh up and source its env file");
const NGINX = `${REG}/library/nginx:latest`;
const PUSHED = `${REG}/berth-transfer-${process.pid}/nginx:t1`;
const owner = { id: "user-1", name: "ada" };
let rt: StartedRuntime;
let silent: net.Server;
const held: net.Socket[] = [];

beforeAll(async () => {
  rt = await startRuntime("transfer");
  // A "registry" that accepts connections and never answers: a pull from it waits until cancelled.
  silent = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
});

afterAll(async () => {
  // The fixture tag other tests use, whatever happened above.
  try {
    docker("image", "inspect", "nginx:latest");
  } catch {
    dockerQuiet("pull", NGINX);
    dockerQuiet("tag", NGINX, "nginx:latest");
  }
  for (const s of held) s.destroy();
  silent?.close();
  dockerQuiet("rmi", "-f", PUSHED);
  await rt?.stop();
});

/** Follows one task on `/ws/tasks` until it ends; every detail frame in order. */
async function follow(taskId: string, ms = 45_000): Promise<{ frames: Extract<TasksFrame, { type: "detail" }>[]; task: TaskSummary }> {
  const frames: TasksFrame[] = [];
  const w = frameWaiter(frames);
  const s = rt.client.stream("tasks", { id: taskId }, {
    onFrame: (json) => {
      frames.push(JSON.parse(json.toString()) as TasksFrame);
      w.notify();
    },
    onClose: () => undefined,
  });
  try {
    const last = await w.wait((f) => f.type === "error" || (f.type === "detail" && f.task.state !== "running"), ms);
    if (last.type !== "detail") throw new Error(`tasks stream error: ${JSON.stringify(last)}`);
    return { frames: frames.filter((f): f is Extract<TasksFrame, { type: "detail" }> => f.type === "detail"), task: last.task };
  } finally {
    s.close();
  }
}

/** Passes bytes on at about `rate` bytes a second. */
class Throttle extends Transform {
  constructor(private readonly rate: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.push(chunk);
    setTimeout(done, (chunk.length / this.rate) * 1000);
  }
}

/** The private registry behind a proxy on 127.0.0.1 (insecure to the engine, like the registry) that answers at `rate` bytes/s. */
async function slowProxy(rate: number): Promise<{ address: string; close(): void }> {
  const [host, port] = REG!.split(":");
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    sockets.push(client, upstream);
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(new Throttle(rate)).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function refusal(p: Promise<unknown>): Promise<RuntimeCallError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeCallError);
  return err as RuntimeCallError;
}

describe("images.pull", () => {
  it("pulls with per-layer progress and ends with the image id, tagged with who started it", async () => {
    // Gone entirely (the fixture's `nginx:latest` tag too, restored below), so every layer is really downloaded.
    const id0 = docker("image", "inspect", "-f", "{{.Id}}", "nginx:latest");
    for (const tag of docker("image", "inspect", "-f", "{{join .RepoTags \" \"}}", id0).split(" ")) dockerQuiet("rmi", tag);
    expect(() => docker("image", "inspect", id0)).toThrow();
    const started = await rt.client.call("images.pull", { reference: NGINX, owner });
    expect(started.task).toMatchObject({ kind: "image.pull", title: `Pull ${NGINX}`, state: "running", owner, cancellable: true });
    const { frames, task } = await follow(started.taskId);
    expect(task.state).toBe("succeeded");
    const id = docker("image", "inspect", "-f", "{{.Id}}", NGINX);
    docker("tag", NGINX, "nginx:latest");
    expect(id).toBe(id0);
    expect(task.result).toEqual({ id, reference: NGINX });
    // Layers were reported with Docker's own words and sizes, and every one ended complete.
    const last = frames[frames.length - 1]!;
    expect(last.layers.length).toBeGreaterThan(0);
    expect(last.layers.every((l) => /pull complete|already exists/i.test(l.status))).toBe(true);
    const sized = last.layers.filter((l) => (l.total ?? 0) > 0);
    expect(sized.length).toBeGreaterThan(0);
    for (const l of sized) expect(l.current).toBe(l.total);
    // (Layers seen part-way, downloading, are proven by the slowed pull below: from a local registry a pull may end within one frame.)
    expect(last.lines.join("\n") + frames.flatMap((f) => f.lines).join("\n")).toMatch(/Pulling from|Digest: sha256:|Status: /);
    // The list shows it too.
    const listed = (await rt.client.call("tasks.list", {})).find((t) => t.id === started.taskId);
    expect(listed).toMatchObject({ state: "succeeded", owner });
  });

  it("reports a layer's bytes part-way while it downloads (through a registry slowed to 2 MB/s)", async () => {
    // Fresh random layers, so nothing is already here; pushed, removed, then pulled through the slow proxy.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-transfer-"));
    const ref = `berth-transfer-${process.pid}/slow:1`;
    fs.writeFileSync(path.join(dir, "blob"), crypto.randomBytes(5 << 20));
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY blob /blob\n");
    execFileSync("docker", ["build", "-q", "-t", `${REG}/${ref}`, dir], { env: { ...process.env, DOCKER_BUILDKIT: "0" }, stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
    docker("push", `${REG}/${ref}`);
    docker("rmi", `${REG}/${ref}`);
    const proxy = await slowProxy(2 << 20);
    try {
      const started = await rt.client.call("images.pull", { reference: `${proxy.address}/${ref}` });
      const { frames, task } = await follow(started.taskId);
      expect(task.state, JSON.stringify(task.error)).toBe("succeeded");
      const midway = frames.flatMap((f) => f.layers).filter((l) => l.status === "Downloading" && l.total && l.current! > 0 && l.current! < l.total);
      expect(midway.length).toBeGreaterThan(1);
      // The overall bar moved with it.
      expect(frames.some((f) => f.task.progress.total && f.task.progress.current! > 0 && f.task.progress.current! < f.task.progress.total)).toBe(true);
    } finally {
      proxy.close();
      dockerQuiet("rmi", `${proxy.address}/${ref}`);
    }
  });

  it("a tag the registry does not have fails the task with NOT_FOUND in the registry's words", async () => {
    const ref = `${REG}/library/nginx:no-such-tag-${process.pid}`;
    const started = await rt.client.call("images.pull", { reference: ref });
    const { task } = await follow(started.taskId);
    expect(task.state).toBe("failed");
    expect(task.error?.code).toBe("NOT_FOUND");
    expect(task.error?.message).toMatch(/not found|manifest unknown/i);
    expect(task.error?.message).toContain("no-such-tag");
  });

  it("cancels a pull that is waiting on a registry, at once, and the runtime goes on", async () => {
    const port = (silent.address() as net.AddressInfo).port;
    // A list follower hears of the task at once, though it reports nothing while it waits.
    const listed: TasksFrame[] = [];
    const lw = frameWaiter(listed);
    const ls = rt.client.stream("tasks", {}, {
      onFrame: (json) => {
        listed.push(JSON.parse(json.toString()) as TasksFrame);
        lw.notify();
      },
      onClose: () => undefined,
    });
    await lw.wait((f) => f.type === "tasks");
    const started = await rt.client.call("images.pull", { reference: `127.0.0.1:${port}/never/answers:1`, owner });
    await lw.wait((f) => f.type === "tasks" && f.tasks.some((t) => t.id === started.taskId && t.state === "running"), 2000);
    ls.close();
    // Let the engine start waiting on the silent registry.
    await new Promise((r) => setTimeout(r, 700));
    expect((await rt.client.call("tasks.list", {})).find((t) => t.id === started.taskId)?.state).toBe("running");
    const t0 = Date.now();
    const r = await rt.client.call("tasks.cancel", { id: started.taskId });
    expect(r).toMatchObject({ cancelled: true, task: { state: "cancelled", error: { code: "CONFLICT", message: "cancelled" } } });
    const { task } = await follow(started.taskId, 5000);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(task.state).toBe("cancelled");
    // Cancelling again, or an unknown task, says so.
    expect((await rt.client.call("tasks.cancel", { id: started.taskId })).cancelled).toBe(false);
    const unknown = await refusal(rt.client.call("tasks.cancel", { id: "t_nope" }));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", field: "id" });
    // The runtime still answers.
    expect(Array.isArray(await rt.client.call("tasks.list", {}))).toBe(true);
  });

  it("refuses a reference outside Docker's grammar before any engine call, naming the field", async () => {
    for (const reference of ["../etc/passwd", "nginx:la test", "NGINX", "a\u0000b", "x".repeat(5000), "sha256:" + "a".repeat(64), ""]) {
      const err = await refusal(rt.client.call("images.pull", { reference }));
      expect(err.code, reference.slice(0, 30)).toBe("BAD_REQUEST");
      expect(err.field).toBe("reference");
      expect(err.message).toMatch(/^reference: /);
    }
    const extra = await refusal(rt.client.call("images.pull", { reference: "nginx", owner: { id: "u", name: "n", admin: true } } as never));
    expect(extra.code).toBe("BAD_REQUEST");
  });
});

describe("images.push", () => {
  it("pushes a tag to the private registry with its digest; removed and pulled back, the digest and id are the same", async () => {
    const idBefore = docker("image", "inspect", "-f", "{{.Id}}", NGINX);
    docker("tag", NGINX, PUSHED);
    const started = await rt.client.call("images.push", { reference: PUSHED, owner });
    expect(started.task).toMatchObject({ kind: "image.push", title: `Push ${PUSHED}`, owner });
    const { frames, task } = await follow(started.taskId);
    expect(task.state, JSON.stringify(task.error)).toBe("succeeded");
    const result = task.result as { reference: string; digest: string; size?: number };
    expect(result.reference).toBe(PUSHED);
    expect(result.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const last = frames[frames.length - 1]!;
    expect(last.layers.length).toBeGreaterThan(0);
    expect(last.layers.every((l) => /pushed|layer already exists|mounted from/i.test(l.status))).toBe(true);

    docker("rmi", PUSHED);
    expect(() => docker("image", "inspect", PUSHED)).toThrow();
    const back = await rt.client.call("images.pull", { reference: PUSHED });
    const pulled = await follow(back.taskId);
    expect(pulled.task.state).toBe("succeeded");
    expect((pulled.task.result as { id: string }).id).toBe(idBefore);
    const repoDigests = docker("image", "inspect", "-f", "{{json .RepoDigests}}", PUSHED);
    expect(repoDigests).toContain(`${PUSHED.replace(/:t1$/, "")}@${result.digest}`);

    // And by digest: the same image again.
    const byDigest = await rt.client.call("images.pull", { reference: `${PUSHED.replace(/:t1$/, "")}@${result.digest}` });
    const d = await follow(byDigest.taskId);
    expect(d.task).toMatchObject({ state: "succeeded", result: { id: idBefore } });
  });

  it("a tag that is not here is NOT_FOUND naming the reference, before any task", async () => {
    const err = await refusal(rt.client.call("images.push", { reference: `${REG}/nothing-here-${process.pid}:x` }));
    expect(err).toMatchObject({ code: "NOT_FOUND", field: "reference" });
    expect(err.message).toMatch(/no image tagged/);
    const digest = await refusal(rt.client.call("images.push", { reference: `${REG}/x@sha256:${"a".repeat(64)}` }));
    expect(digest).toMatchObject({ code: "BAD_REQUEST", field: "reference" });
  });
});

describe("images.search", () => {
  it("says clearly and quickly that Docker Hub cannot be reached (no hang)", async () => {
    const t0 = Date.now();
    const answer = await rt.client.call("images.search", { term: "nginx", limit: 5 });
    const took = Date.now() - t0;
    expect(took).toBeLessThan(SEARCH_DEADLINE_MS + 3000);
    // An offline host is a state, not a server error: no results, and why.
    expect(answer.results).toEqual([]);
    expect(answer.unreachable).toMatch(/^search: Docker Hub (cannot be reached|did not answer)/);
  });

  it("refuses a bad term or limit naming the field", async () => {
    expect(await refusal(rt.client.call("images.search", { term: "" }))).toMatchObject({ code: "BAD_REQUEST", field: "term" });
    expect(await refusal(rt.client.call("images.search", { term: "a\u0000" }))).toMatchObject({ code: "BAD_REQUEST", field: "term" });
    expect(await refusal(rt.client.call("images.search", { term: "nginx", limit: 1000 }))).toMatchObject({ code: "BAD_REQUEST", field: "limit" });
  });
});

describe("with a registry that needs credentials (htpasswd)", () => {
  const USER = "berth-pusher";
  const PASS = "Right-Password-9271";
  let dir = "";
  let reg2 = "";
  let registry: ChildProcess | undefined;
  const auth = () => ({ username: USER, password: PASS, serveraddress: reg2 });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-transfer-auth-"));
    const port = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    reg2 = `127.0.0.1:${port}`;
    fs.writeFileSync(path.join(dir, "htpasswd"), execFileSync("htpasswd", ["-Bbn", USER, PASS], { encoding: "utf8" }));
    fs.writeFileSync(
      path.join(dir, "registry.yml"),
      [
        "version: 0.1",
        "log: { level: warn }",
        `storage: { filesystem: { rootdirectory: ${dir}/data } }`,
        `http: { addr: "${reg2}" }`,
        `auth: { htpasswd: { realm: berth-test, path: ${dir}/htpasswd } }`,
        "",
      ].join("\n"),
    );
    registry = spawn("docker-registry", ["serve", path.join(dir, "registry.yml")], { stdio: "ignore" });
    for (let i = 0; ; i++) {
      const up = await fetch(`http://${reg2}/v2/`).then(
        (r) => r.status === 401,
        () => false,
      );
      if (up) break;
      if (i > 100) throw new Error(`registry on ${reg2} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    dockerQuiet("rmi", "-f", `${reg2}/auth/busybox:1`);
    if (registry && registry.exitCode === null) {
      registry.kill("SIGTERM");
      await new Promise((r) => registry!.once("exit", r));
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("push and pull use the credentials given; without them, or wrong, the task fails UNAUTHORIZED without echoing them", async () => {
    const ref = `${reg2}/auth/busybox:1`;
    docker("tag", "busybox:latest", ref);

    const anonymous = await follow((await rt.client.call("images.push", { reference: ref })).taskId);
    expect(anonymous.task.state).toBe("failed");
    expect(anonymous.task.error?.code).toBe("UNAUTHORIZED");
    expect(anonymous.task.error?.message).toMatch(/credentials|unauthori[sz]ed|authentication required/i);

    const pushed = await follow((await rt.client.call("images.push", { reference: ref, auth: auth() })).taskId);
    expect(pushed.task.state, JSON.stringify(pushed.task.error)).toBe("succeeded");
    expect((pushed.task.result as { digest: string }).digest).toMatch(/^sha256:/);

    docker("rmi", ref);
    const wrong = await follow((await rt.client.call("images.pull", { reference: ref, auth: { ...auth(), password: "Wrong-Password-5512" } })).taskId);
    expect(wrong.task.state).toBe("failed");
    expect(wrong.task.error?.code).toBe("UNAUTHORIZED");
    expect(wrong.task.error?.message).toMatch(/unauthori[sz]ed|authentication required|incorrect/i);
    expect(JSON.stringify(wrong)).not.toContain("Wrong-Password-5512");

    const pulled = await follow((await rt.client.call("images.pull", { reference: ref, auth: auth() })).taskId);
    expect(pulled.task.state, JSON.stringify(pulled.task.error)).toBe("succeeded");
    expect((pulled.task.result as { id: string }).id).toBe(docker("image", "inspect", "-f", "{{.Id}}", "busybox:latest"));
    expect(JSON.stringify(await rt.client.call("tasks.list", {}))).not.toContain(PASS);
  });
});
