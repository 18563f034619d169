/**
 * Input that once ended or froze the runtime, through the real runtime against the
 * private engine: bad image references, engine redirects, oversized bodies, a runtime
 * or an engine that does not answer. After each bad call the runtime must still
 * answer and its process must not have exited.
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../runtime/engine/client";
import { toRuntimeError } from "../../runtime/engine/errors";
import { RUNTIME_KEY_HEADER } from "../../runtime/protocol/index";
import { runtimeClient } from "../../server/engines/runtime-client";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-hard-${process.pid}`;
let runtime: StartedRuntime;

beforeAll(async () => {
  runtime = await startRuntime("hard");
  docker("run", "-d", "--name", `${prefix}-c`, "busybox", "sleep", "600");
});

afterAll(async () => {
  dockerQuiet("rm", "-f", `${prefix}-c`);
  dockerQuiet("rmi", `${prefix}-commit:ok`);
  await runtime?.stop();
});

/** The runtime process is alive and answers both a cached and an engine-backed call. */
async function stillServing(): Promise<void> {
  expect(runtime.child.exitCode).toBeNull();
  expect(runtime.child.signalCode).toBeNull();
  const status = await runtime.client.call("engine.status", {});
  expect(status.reachable).toBe(true);
  const list = await runtime.client.call("containers.list", {});
  expect(list.some((c) => c.name === `${prefix}-c`)).toBe(true);
}

/** A raw request to the runtime, for bodies and paths the client would not send. */
function rawPost(path: string, body: Buffer | string, method = "POST", extra: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const key = fs.readFileSync(`${runtime.dataDir}/runtime.key`, "utf8").trim();
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: runtime.socketPath, method, path, headers: { [RUNTIME_KEY_HEADER]: key, "content-type": "application/json", ...extra } });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const badReferences: [string, RegExp][] = [
  ["a/../../b", /invalid reference format: .*path component "\.\."/],
  ["busy\u0000box", /invalid reference format: a control character at position 5/],
  ["BusyBox", /invalid reference format: .*must be lowercase/],
  ["busy box", /invalid reference format: a space at position 5/],
  ["a".repeat(300), /invalid reference format: repository name must not be more than 255 characters/],
  ["busybox@sha256:abc", /invalid reference format: .*digest/],
];

describe("image references are checked before any engine call", () => {
  for (const [image, message] of badReferences) {
    it(`create refuses ${JSON.stringify(image.slice(0, 20))} naming the field`, async () => {
      const err = await callError(runtime.client.call("containers.create", { spec: { image }, createOnly: true }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.status).toBe(400);
      expect(err.field).toBe("image");
      expect(err.message).toMatch(/^image: /);
      expect(err.message).toMatch(message);
      await stillServing();
    });

    it(`images.defaults refuses ${JSON.stringify(image.slice(0, 20))} naming the field`, async () => {
      const err = await callError(runtime.client.call("images.defaults", { image }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.field).toBe("image");
      expect(err.message).toMatch(message);
      await stillServing();
    });
  }

  it("commit refuses a repository or tag outside the grammar, and takes a good one", async () => {
    const repo = await callError(runtime.client.call("containers.commit", { id: `${prefix}-c`, repository: "a/../../b" }));
    expect(repo.field).toBe("repository");
    expect(repo.message).toMatch(/^repository: invalid reference format/);
    const tag = await callError(runtime.client.call("containers.commit", { id: `${prefix}-c`, repository: "x", tag: ".bad" }));
    expect(tag.field).toBe("tag");
    const ok = await runtime.client.call("containers.commit", { id: `${prefix}-c`, repository: `${prefix}-commit`, tag: "ok" });
    expect(ok.reference).toBe(`${prefix}-commit:ok`);
    await stillServing();
  });

  it("valid references still reach the engine", async () => {
    const present = await runtime.client.call("images.defaults", { image: "busybox" });
    expect(present.present).toBe(true);
    const absent = await runtime.client.call("images.defaults", { image: `127.0.0.1:1/${prefix}/none:v1` });
    expect(absent.present).toBe(false);
  });

  it("names that would change an engine path are refused by create's engine checks", async () => {
    const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", network: "../../images/x" }, createOnly: true }));
    expect(err.field).toBe("network");
    const link = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", links: [{ container: "../x" }] }, createOnly: true }));
    expect(link.field).toBe("links[0].container");
    await stillServing();
  });
});

describe("containers.top with options ps refuses", () => {
  for (const psArgs of [",", "-", "23", "arguments", "X val", "a  u", "-o user", "-o user=PID"]) {
    it(`${JSON.stringify(psArgs)} is a 400 naming psArgs`, async () => {
      const err = await callError(runtime.client.call("containers.top", { id: `${prefix}-c`, psArgs }));
      expect(err.status).toBe(400);
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.field).toBe("psArgs");
      expect(err.message).toMatch(/^psArgs: /);
      expect(err.message).not.toMatch(/^psArgs: .*ps: /);
      await stillServing();
    });
  }

  it("the options docker top users pass still work", async () => {
    for (const [psArgs, title] of [["aux", "%CPU"], ["-ef", "PPID"], ["-o pid,user,args", "USER"], [undefined, "UID"]] as const) {
      const top = await runtime.client.call("containers.top", { id: `${prefix}-c`, ...(psArgs ? { psArgs } : {}) });
      expect(top.titles).toContain(title);
      expect(top.processes.some((p) => p.some((cell) => cell.includes("sleep 600")))).toBe(true);
    }
  });
});

describe("the Docker client does not follow redirects", () => {
  it("a 301 from the engine is an error of that call, not a request to another host", async () => {
    const { docker: dockerode } = createEngine({ DOCKER_HOST: process.env.DOCKER_HOST });
    // The engine answers 301 to an unclean path; following it once asked a host named after the path.
    const err = await dockerode.getImage("a/../../b").inspect().then(
      () => undefined,
      (e: unknown) => e as { statusCode?: number },
    );
    expect(err?.statusCode).toBe(301);
    const mapped = toRuntimeError(err, "image a/../../b");
    expect(mapped.code).toBe("BAD_REQUEST");
    expect(mapped.message).toMatch(/HTTP 301 \(a redirect\)/);
    // The same client still works.
    expect((await dockerode.version()).Version).toBeTruthy();
  });
});

describe("request bodies", () => {
  it("a body over the runtime's limit gets 413 with a clear JSON error, and the runtime keeps serving", async () => {
    const big = JSON.stringify({ spec: { image: "busybox", labels: { big: "x".repeat(5 << 20) } }, createOnly: true });
    const raw = await rawPost("/rpc/containers.create", big);
    expect(raw.status).toBe(413);
    expect(raw.json).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/larger than the runtime's limit of 4 MB/) } });

    // Without a declared length the limit is found while reading.
    const chunked = await rawPost("/rpc/containers.create", big, "POST", { "transfer-encoding": "chunked" });
    expect(chunked.status).toBe(413);
    expect(chunked.json).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });

    const err = await callError(runtime.client.call("containers.list", { pad: "y".repeat(5 << 20) } as never));
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.status).toBe(413);
    await stillServing();
  });

  it("a 1.1 MB body is read and answered", async () => {
    const list = await runtime.client.call("containers.list", { pad: "z".repeat(1_100_000) } as never);
    expect(Array.isArray(list)).toBe(true);
  });

  it("input nested 100,000 deep is refused field by field, without exhausting the stack", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    for (const body of [
      `{"spec":{"image":"busybox","labels":${deep}},"createOnly":true}`,
      `{"spec":{"image":"busybox","env":${deep}},"createOnly":true}`,
      `{"image":${deep}}`,
    ]) {
      const path = body.startsWith('{"image"') ? "/rpc/images.defaults" : "/rpc/containers.create";
      const raw = await rawPost(path, body);
      expect(raw.status, body.slice(0, 40)).toBe(400);
      expect(raw.json).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    }
    await stillServing();
  });

  it("a body that is not JSON is a 400 naming the body", async () => {
    const raw = await rawPost("/rpc/containers.list", "{\"a\":");
    expect(raw.status).toBe(400);
    expect(raw.json).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: expect.stringMatching(/^request body: /) } });
    await stillServing();
  });
});

describe("errors outside any request", () => {
  it("a background step that fails (history cannot be written) is logged, and the runtime keeps serving", async () => {
    const name = `${prefix}-hist`;
    docker("run", "-d", "--name", name, "busybox", "sh", "-c", "while true; do echo line; sleep 0.1; done");
    let stderr = "";
    const onErr = (chunk: Buffer) => void (stderr += chunk.toString());
    runtime.child.stderr!.on("data", onErr);
    try {
      // The first segment's path taken by a directory: the append fails in a timer, with nobody awaiting it.
      fs.mkdirSync(`${runtime.dataDir}/logs/history/${name}/1.log.gz`, { recursive: true });
      await runtime.client.call("logs.history.set", { container: name, enabled: true });
      const started = Date.now();
      while (!stderr.includes("unhandled rejection") && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toMatch(/berth runtime: unhandled rejection \(the runtime keeps serving\): .*EISDIR/);
      await new Promise((r) => setTimeout(r, 1500));
      await stillServing();
    } finally {
      // Stopping flushes into the same broken path: that call's own error is not this test's subject.
      await runtime.client.call("logs.history.set", { container: name, enabled: false }).catch(() => undefined);
      runtime.child.stderr!.off("data", onErr);
      dockerQuiet("rm", "-f", name);
    }
  });
});

describe("request targets", () => {
  it("a path that is not a URL path is a 400, for calls and for stream upgrades", async () => {
    for (const path of ["//a:b", "//a:b/rpc/containers.list", "//[::"]) {
      const raw = await rawPost(path, "{}");
      expect(raw.status).toBe(400);
      expect(raw.json).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: "request path: not a valid path" } });
    }
    const upgrade = await rawPost("//a:b", "", "GET", { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" });
    expect(upgrade.status).toBe(404);
    await stillServing();
  });

  it("download routes take GET only, all of them alike, and a malformed escape in an id is a 400", async () => {
    for (const path of ["/export/containers/abc", "/logs/history/download?p=%7B%7D"]) {
      for (const method of ["POST", "PUT", "DELETE"]) {
        // An explicit length: Node sends a DELETE body unframed otherwise.
        const raw = await rawPost(path, "{}", method, { "content-length": "2" });
        expect(raw.status, `${method} ${path}`).toBe(405);
        expect(raw.json).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: expect.stringMatching(/use GET/) } });
      }
    }
    for (const path of ["/export/containers/%", "/export/containers/%E0%A4%A"]) {
      const raw = await rawPost(path, "", "GET");
      expect(raw.status, path).toBe(400);
      expect(raw.json).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", field: "id" } });
    }
    await stillServing();
  });
});

describe("deadlines", () => {
  it("a runtime that does not answer is reported as not answering, distinct from not running", async () => {
    runtime.child.kill("SIGSTOP");
    try {
      const err = await callError(runtime.client.call("containers.list", {}, { timeoutMs: 1000 }));
      expect(err.code).toBe("RUNTIME_UNAVAILABLE");
      expect(err.message).toBe("Berth runtime is not answering (no reply within 1 s)");
      const ping = await callError(runtime.client.ping(500));
      expect(ping.message).toBe("Berth runtime is not answering (no reply within 500 ms)");
    } finally {
      runtime.child.kill("SIGCONT");
    }
    await runtime.client.ping(2000);
    await stillServing();

    const gone = runtimeClient({ socketPath: `${runtime.dataDir}/no-such.sock`, key: "x" });
    const notRunning = await callError(gone.call("containers.list", {}));
    expect(notRunning.code).toBe("RUNTIME_UNAVAILABLE");
    expect(notRunning.message).toMatch(/^Berth runtime is not running/);
    gone.close();
  });

  it("a subscription to a runtime that stops answering reports it, and reconnects once it answers again", async () => {
    const key = fs.readFileSync(`${runtime.dataDir}/runtime.key`, "utf8").trim();
    const client = runtimeClient({ socketPath: runtime.socketPath, key, heartbeatMs: 300 });
    const states: [boolean, string | undefined][] = [];
    const waitFor = (want: boolean, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = setInterval(() => {
          if (states.some(([c]) => c === want)) {
            clearInterval(check);
            resolve();
          } else if (Date.now() - started > ms) {
            clearInterval(check);
            reject(new Error(`no ${want ? "connect" : "disconnect"} within ${ms} ms: ${JSON.stringify(states)}`));
          }
        }, 50);
      });
    const sub = client.subscribe("events", () => undefined, (connected, detail) => states.push([connected, detail]));
    try {
      await waitFor(true, 5000);
      states.length = 0;
      runtime.child.kill("SIGSTOP");
      try {
        await waitFor(false, 3000);
        expect(states[0]).toEqual([false, "Berth runtime is not answering (no reply within 300 ms)"]);
      } finally {
        runtime.child.kill("SIGCONT");
      }
      await waitFor(true, 8000);
    } finally {
      sub.close();
      client.close();
    }
    await stillServing();
  });

  it("an open stream from a runtime that stops answering ends, saying so", async () => {
    const key = fs.readFileSync(`${runtime.dataDir}/runtime.key`, "utf8").trim();
    const client = runtimeClient({ socketPath: runtime.socketPath, key, heartbeatMs: 300 });
    let frames = 0;
    let closed: string | undefined | null = null;
    const stream = client.stream("logs", { id: `${prefix}-c`, follow: true, tail: 5 }, {
      onFrame: () => void frames++,
      onClose: (detail) => void (closed = detail),
    });
    const until = async (ok: () => boolean, ms: number, what: string) => {
      const started = Date.now();
      while (!ok()) {
        if (Date.now() - started > ms) throw new Error(`${what} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => frames > 0, 5000, "no frame");
      runtime.child.kill("SIGSTOP");
      try {
        await until(() => closed !== null, 3000, "the stream did not end");
        expect(closed).toBe("Berth runtime is not answering (no reply within 300 ms)");
      } finally {
        runtime.child.kill("SIGCONT");
      }
    } finally {
      stream.close();
      client.close();
    }
    await stillServing();
  });

  it("an engine that does not answer gives a TIMEOUT from the runtime at its deadline", { timeout: 60_000 }, async () => {
    const pid = Number(fs.readFileSync(process.env.BERTH_TEST_DOCKERD_PIDFILE!, "utf8").trim());
    expect(pid).toBeGreaterThan(1);
    const started = Date.now();
    process.kill(pid, "SIGSTOP");
    let err;
    try {
      await allThreadsStopped(pid);
      err = await callError(runtime.client.call("containers.inspect", { id: `${prefix}-c` }));
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const waited = Date.now() - started;
    expect(err.code).toBe("TIMEOUT");
    expect(err.status).toBe(504);
    expect(err.message).toMatch(/^containers\.inspect did not finish within 25 s: the engine is not answering in time/);
    expect(waited).toBeGreaterThanOrEqual(24_000);
    expect(waited).toBeLessThan(30_000);
    await stillServing();
  });
});

/**
 * SIGSTOP is queued at once but each of the engine's threads stops when it next
 * enters the kernel: on a busy machine one may still answer a request sent right
 * after kill() returns. Wait until every thread is stopped (state T).
 */
async function allThreadsStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const states = fs.readdirSync(`/proc/${pid}/task`).map((t) => {
      const stat = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    });
    if (states.every((st) => st === "T" || st === "t")) return;
    if (Date.now() > deadline) throw new Error(`dockerd (pid ${pid}) did not stop: thread states ${states.join("")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
