/**
 * The runtime against the private engine, seen only through server/engines/runtime-client.ts.
 * Needs DOCKER_HOST pointing at the private engine (tests/harness/engine.sh up).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerSummary, EventsFrame } from "../../runtime/protocol/index";
import { type RuntimeClient, runtimeClient } from "../../server/engines/runtime-client";
import { docker, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

const DOCKER_HOST = requirePrivateEngine();

const root = path.resolve(import.meta.dirname, "../..");
const prefix = `berth-rt-${process.pid}`;
const names = { watched: `${prefix}-watched`, actions: `${prefix}-actions`, busy: `${prefix}-busy` };

const inspect = (name: string) => JSON.parse(docker("inspect", name))[0] as { Id: string; State: { Running: boolean; StartedAt: string } };

let runtime: StartedRuntime;
let client: RuntimeClient;
const frames: EventsFrame[] = [];
const waiters = new Set<() => void>();

/** Resolves with the first frame (from index `from` on) that matches; fails after `ms`. */
function waitForFrame<T extends EventsFrame>(match: (f: EventsFrame) => f is T, from: number, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      for (let i = from; i < frames.length; i++) {
        const f = frames[i];
        if (match(f)) {
          cleanup();
          resolve(f);
          return;
        }
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no matching frame within ${ms} ms`));
    }, ms);
    const cleanup = () => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
}

const upsertOf = (name: string, state?: string) => (f: EventsFrame): f is Extract<EventsFrame, { type: "container.upsert" }> =>
  f.type === "container.upsert" && f.container.name === name && (state === undefined || f.container.state === state);

beforeAll(async () => {
  runtime = await startRuntime("rt");
  client = runtime.client;
  await new Promise<void>((resolve) => {
    client.subscribe(
      "events",
      (frame) => {
        frames.push(frame);
        for (const w of [...waiters]) w();
      },
      (connected) => connected && resolve(),
    );
  });
});

afterAll(async () => {
  for (const name of Object.values(names)) {
    try {
      docker("rm", "-f", name);
    } catch {
      // not created or already gone
    }
  }
  await runtime?.stop();
});

describe("runtime API", () => {
  it("answers 401 to a wrong key, on calls and on streams", async () => {
    const wrong = runtimeClient({ socketPath: runtime.socketPath, key: "not-the-key" });
    const err = await callError(wrong.call("engine.status", {}));
    expect(err.code).toBe("UNAUTHORIZED");
    expect(err.status).toBe(401);
    const detail = await new Promise<string | undefined>((resolve) => {
      wrong.subscribe("events", () => resolve("got a frame"), (connected, why) => !connected && resolve(why));
    });
    wrong.close();
    expect(detail).toMatch(/401/);
  });

  it("says the runtime is not running when nothing listens", async () => {
    const nobody = runtimeClient({ socketPath: path.join(runtime.dataDir, "nothing.sock"), key: "x" });
    const err = await callError(nobody.call("engine.status", {}));
    nobody.close();
    expect(err.code).toBe("RUNTIME_UNAVAILABLE");
    expect(err.message).toBe("Berth runtime is not running");
  });

  it("names the bad field", async () => {
    const err = await callError(client.call("containers.start", { id: 5 as unknown as string }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "id" });
    expect(err.message).toMatch(/^id: /);
    const t = await callError(client.call("containers.stop", { id: "x", timeout: -1 }));
    expect(t).toMatchObject({ code: "BAD_REQUEST", field: "timeout" });
  });

  it("reports the engine reachable, with its version", async () => {
    const status = await client.call("engine.status", {});
    expect(status.reachable).toBe(true);
    expect(status.dockerHost).toBe(DOCKER_HOST!.startsWith("/") ? `unix://${DOCKER_HOST}` : DOCKER_HOST);
    expect(status.version).toBe(docker("version", "--format", "{{.Server.Version}}"));
    expect(status.apiVersion).toBe(docker("version", "--format", "{{.Server.APIVersion}}"));
    expect(status.counts?.images).toBeGreaterThan(0);
    const first = frames.find((f) => f.type === "engine");
    expect(first).toMatchObject({ type: "engine", engine: { reachable: true } });
    expect(frames[1]?.type).toBe("containers.snapshot");
  });

  it("streams a container created with the CLI, and its stop", async () => {
    const from = frames.length;
    docker("run", "-d", "--name", names.watched, "busybox", "sleep", "300");
    const t0 = Date.now();
    const up = await waitForFrame(upsertOf(names.watched, "running"), from, 2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(up.container).toMatchObject({ image: "busybox", state: "running" });
    // The state goes out straight from the event; the full summary (with the IP) right after.
    const full = await waitForFrame(
      (f): f is Extract<EventsFrame, { type: "container.upsert" }> =>
        f.type === "container.upsert" && f.container.name === names.watched && !!f.container.networks[0]?.ip,
      from,
      2000,
    );
    expect(full.container.networks[0]?.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const list = await client.call("containers.list", {});
    expect(list.map((c: ContainerSummary) => c.name)).toContain(names.watched);

    const mark = frames.length;
    docker("stop", "-t", "1", names.watched);
    const t1 = Date.now();
    await waitForFrame(upsertOf(names.watched, "exited"), mark, 2000);
    expect(Date.now() - t1).toBeLessThan(2000);

    // The exited state goes out on "die"; Docker's "stop" event follows it.
    await waitForFrame(
      (f): f is Extract<EventsFrame, { type: "docker.event" }> => f.type === "docker.event" && f.event.action === "stop",
      mark,
      2000,
    );
    const raw = frames.slice(mark).filter((f) => f.type === "docker.event");
    expect(raw.map((f) => f.type === "docker.event" && f.event.action)).toEqual(expect.arrayContaining(["die", "stop"]));
    for (const f of raw) if (f.type === "docker.event") expect(f.event.timeNano).toMatch(/^\d{19}$/);
  });

  it("start/stop/restart/remove change the real container", async () => {
    docker("create", "--name", names.actions, "busybox", "sleep", "300");
    const id = inspect(names.actions).Id;

    expect(await client.call("containers.start", { id: names.actions })).toMatchObject({ changed: true });
    expect(inspect(names.actions).State.Running).toBe(true);
    expect(await client.call("containers.start", { id: names.actions })).toMatchObject({ changed: false });

    const startedAt = inspect(names.actions).State.StartedAt;
    expect(await client.call("containers.restart", { id, timeout: 1 })).toMatchObject({ changed: true });
    expect(inspect(names.actions).State.Running).toBe(true);
    expect(inspect(names.actions).State.StartedAt).not.toBe(startedAt);

    const stop = await client.call("containers.stop", { id, timeout: 1 });
    expect(stop).toMatchObject({ changed: true });
    expect(inspect(names.actions).State.Running).toBe(false);
    expect(await client.call("containers.stop", { id, timeout: 1 })).toMatchObject({ changed: false });

    const from = frames.length;
    expect(await client.call("containers.remove", { id })).toMatchObject({ changed: true });
    expect(() => docker("inspect", names.actions)).toThrow();
    await waitForFrame((f): f is Extract<EventsFrame, { type: "container.remove" }> => f.type === "container.remove" && f.id === id, from, 2000);
  });

  it("refuses to remove a running container without force", async () => {
    docker("run", "-d", "--name", names.busy, "busybox", "sleep", "300");
    const err = await callError(client.call("containers.remove", { id: names.busy }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toBe(`container ${names.busy} is running: stop it or force removal`);
    expect(inspect(names.busy).State.Running).toBe(true);

    expect(await client.call("containers.remove", { id: names.busy, force: true })).toMatchObject({ changed: true });
    expect(() => docker("inspect", names.busy)).toThrow();
  });

  it("answers NOT_FOUND for an unknown container", async () => {
    const err = await callError(client.call("containers.stop", { id: `${prefix}-does-not-exist` }));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.dockerStatus).toBe(404);
    expect(err.message).toContain(`container ${prefix}-does-not-exist`);
  });

  it("reports a stopped engine and recovers within 5 s of its restart", async () => {
    const testDir = process.env.BERTH_TEST_DIR;
    if (!testDir) throw new Error("BERTH_TEST_DIR is unset: source the env file of tests/harness/engine.sh up");
    const harness = (cmd: string) =>
      execFileSync("bash", [path.join(root, "tests/harness/engine.sh"), cmd, testDir], { stdio: ["ignore", "pipe", "pipe"] });
    type EngineFrame = Extract<EventsFrame, { type: "engine" }>;
    const isEngine = (reachable: boolean) => (f: EventsFrame): f is EngineFrame => f.type === "engine" && f.engine.reachable === reachable;

    let from = frames.length;
    harness("stop-engine");
    const down = await waitForFrame(isEngine(false), from, 5000);
    expect(down.engine.reason).toMatch(/Docker socket .* (not found|refuses connections)/);
    expect((await client.call("engine.status", {})).reachable).toBe(false);
    const listErr = await callError(client.call("containers.list", {}));
    expect(listErr.code).toBe("ENGINE_UNREACHABLE");

    from = frames.length;
    harness("start-engine");
    const t0 = Date.now();
    await waitForFrame(isEngine(true), from, 5000);
    const snapshot = await waitForFrame(
      (f): f is Extract<EventsFrame, { type: "containers.snapshot" }> => f.type === "containers.snapshot",
      from,
      5000,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(snapshot.containers.map((c) => c.name)).toContain(names.watched);
    expect((await client.call("engine.status", {})).reachable).toBe(true);
  });

  it("exits 0 on SIGTERM and removes its socket", async () => {
    runtime.child.kill("SIGTERM");
    expect(await runtime.exited).toBe(0);
    expect(fs.existsSync(runtime.socketPath)).toBe(false);
  });
});
