/**
 * The runtime's shape: capabilities registered from one list by a main.ts that
 * names none of them, a server that knows nothing of Docker, names claimed
 * twice refused at start, and a route that throws answered, not dropped.
 */
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { capabilities } from "../../runtime/capabilities";
import { type Capability, defineCapability, type EngineContext, registerCapabilities } from "../../runtime/capability";
import { createEngine } from "../../runtime/engine/client";
import { EventsHub } from "../../runtime/engine/events-hub";
import { methods, runtimeChannels } from "../../runtime/protocol/methods";
import { RUNTIME_KEY_HEADER } from "../../runtime/protocol/rpc";
import { type RuntimeServer, startRuntimeServer } from "../../runtime/server";

const root = path.resolve(import.meta.dirname, "../..");
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function context(): EngineContext {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-caps-"));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // Never started and never called: building a capability must not touch the engine.
  const engine = createEngine({ DOCKER_HOST: `unix://${path.join(dataDir, "no-engine.sock")}` });
  const hub = new EventsHub(engine);
  return { engine, docker: engine.docker, hub, dataDir, lookup: (id) => hub.find(id) };
}

/** The capability folders: every folder of runtime/ but the shared layers (engine, protocol, the run-spec and compose libraries). */
const SHARED = new Set(["engine", "protocol", "run-spec", "compose"]);
const capabilityDirs = fs
  .readdirSync(path.join(root, "runtime"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !SHARED.has(d.name))
  .map((d) => d.name);
/** The tasks capability is also the facility every long operation starts its task with: these files may be imported. */
const TASK_FACILITY = new Set(["tasks/registry", "tasks/docker-progress", "tasks/protocol"]);
const capabilityPath = new RegExp(`^runtime/(engine|${capabilityDirs.join("|")})/|dockerode`);

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? tsFiles(path.join(dir, d.name)) : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []));
}

const stub = (name: string, parts: { methods?: string[]; channels?: string[]; routes?: string[] }): Capability => ({
  name,
  methods: Object.fromEntries((parts.methods ?? []).map((m) => [m, z.object({})])),
  handlers: Object.fromEntries((parts.methods ?? []).map((m) => [m, async () => ({})])),
  channels: Object.fromEntries((parts.channels ?? []).map((c) => [c, () => {}])),
  routes: Object.fromEntries((parts.routes ?? []).map((r) => [r, async () => {}])),
});

describe("capability registration", () => {
  it("the capabilities list registers exactly the protocol's methods, its channels and its routes", () => {
    const registry = registerCapabilities(capabilities.map((build) => build(context())));
    expect(Object.keys(registry.methods).sort()).toEqual(Object.keys(methods).sort());
    expect(Object.keys(registry.handlers).sort()).toEqual(Object.keys(methods).sort());
    expect(Object.keys(registry.channels).sort()).toEqual(Object.values(runtimeChannels).map((c) => c.path).sort());
    expect(Object.keys(registry.channels).sort()).toEqual(["/ws/attach", "/ws/engine-events", "/ws/events", "/ws/exec", "/ws/logs", "/ws/stats", "/ws/tasks"]);
    expect(Object.keys(registry.routes).sort()).toEqual(["/export/containers/", "/files/containers/", "/files/volumes/", "/images/build", "/images/import", "/images/load", "/images/save", "/logs/download", "/logs/history/download"]);
  });

  it("a method, channel or route two capabilities claim stops the start, naming both and the name", () => {
    expect(() => registerCapabilities([stub("one", { methods: ["a.b"] }), stub("two", { methods: ["a.b"] })])).toThrow(
      'capabilities one and two both register the method "a.b"',
    );
    expect(() => registerCapabilities([stub("one", { channels: ["/ws/x"] }), stub("two", { channels: ["/ws/x"] })])).toThrow(
      'capabilities one and two both register the channel "/ws/x"',
    );
    expect(() => registerCapabilities([stub("one", { routes: ["/dl/"] }), stub("two", { routes: ["/dl/"] })])).toThrow(
      'capabilities one and two both register the route "/dl/"',
    );
    const real = capabilities.map((build) => build(context()));
    expect(() => registerCapabilities([...real, stub("again", { methods: ["containers.list"] })])).toThrow(
      'capabilities containers and again both register the method "containers.list"',
    );
  });

  it("a method without a handler, or a handler without a method, stops the start", () => {
    const noHandler = { ...stub("one", { methods: ["a.b"] }), handlers: {} };
    expect(() => registerCapabilities([noHandler])).toThrow('capability one: method "a.b" has no handler');
    const noSchema = { ...stub("one", {}), handlers: { "a.c": async () => ({}) } };
    expect(() => registerCapabilities([noSchema])).toThrow('capability one: handler "a.c" has no method schema');
  });
});

describe("runtime layering", () => {
  const madge = createRequire(import.meta.url)("madge") as (
    path: string,
    config: { baseDir: string; fileExtensions: string[]; tsConfig: string; includeNpm: boolean },
  ) => Promise<{ obj(): Record<string, string[]> }>;
  const closure = async (file: string) => {
    const graph = (await madge(file, { baseDir: root, fileExtensions: ["ts"], tsConfig: path.join(root, "tsconfig.json"), includeNpm: true })).obj();
    return new Set([...Object.keys(graph), ...Object.values(graph).flat()]);
  };

  it("server.ts reaches neither the engine layer, a capability, nor dockerode", async () => {
    const reached = [...(await closure("runtime/server.ts"))];
    expect(capabilityDirs).toEqual(expect.arrayContaining(["containers", "logs", "stats", "events", "exec"]));
    expect(reached.filter((f) => capabilityPath.test(f))).toEqual([]);
  }, 60_000);

  it("a capability imports no other capability (what they share lives in engine/ or protocol/, or is the task facility)", () => {
    const crossings: string[] = [];
    for (const cap of capabilityDirs) {
      for (const file of tsFiles(path.join(root, "runtime", cap))) {
        for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)) {
          if (!spec!.startsWith(".")) continue;
          const target = path.relative(path.join(root, "runtime"), path.resolve(path.dirname(file), spec!)).split(path.sep)[0];
          const entry = path.relative(path.join(root, "runtime"), path.resolve(path.dirname(file), spec!)).replace(/\.ts$/, "");
          if (target !== cap && capabilityDirs.includes(target!) && !TASK_FACILITY.has(entry)) crossings.push(`${path.relative(root, file)} → ${spec}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it("main.ts names no capability: no capability folder imported, no method or channel written", () => {
    const main = fs.readFileSync(path.join(root, "runtime/main.ts"), "utf8");
    const imports = [...main.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((i) => capabilityDirs.some((d) => i === `./${d}` || i?.startsWith(`./${d}/`)))).toEqual([]);
    for (const name of [...Object.keys(methods), "/ws/events", "/ws/logs", "/export/containers/", "/logs/download", "/logs/history/download"]) {
      expect(main, `runtime/main.ts names ${name}`).not.toContain(name);
    }
  });
});

describe("runtime server", () => {
  const key = "k".repeat(32);
  let server: RuntimeServer;
  let port: number;
  const logged: string[] = [];

  async function start(): Promise<void> {
    const boom: Capability = defineCapability({
      name: "boom",
      methods: { "boom.call": z.object({}) },
      handlers: {
        "boom.call": async () => {
          throw Object.assign(new Error("engine said no"), { statusCode: 409 });
        },
      },
      routes: {
        "/boom/sync": () => {
          throw new Error("route threw before any await");
        },
        "/boom/async": async () => {
          await new Promise((r) => setTimeout(r, 5));
          throw new Error("route rejected");
        },
        "/boom/late": async (_req, res) => {
          res.writeHead(200, { "content-type": "text/plain" });
          res.write("partial");
          throw new Error("route failed mid-answer");
        },
      },
    });
    const registry = registerCapabilities([boom]);
    const originalError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    cleanups.push(() => (console.error = originalError));
    server = await startRuntimeServer({
      listen: { kind: "tcp", host: "127.0.0.1", port: 0 },
      key,
      ...registry,
      toError: (err) => ({ code: "CONFLICT", message: `mapped: ${(err as Error).message}` }),
      deadlineMs: () => 5_000,
    });
    cleanups.push(() => server.close());
    port = Number(server.address.split(":").pop());
  }

  function request(method: string, urlPath: string, body?: string): Promise<{ status: number; text: string } | { error: string }> {
    return new Promise((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers: { [RUNTIME_KEY_HEADER]: key } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", (e) => resolve({ error: e.message }));
      });
      req.on("error", (e) => resolve({ error: e.message }));
      req.end(body);
    });
  }

  it("a route that throws, synchronously or not, is answered 500 INTERNAL (logged), and the runtime keeps serving", async () => {
    await start();
    for (const route of ["/boom/sync", "/boom/async"]) {
      const answer = await request("GET", route);
      expect(answer).toEqual({ status: 500, text: JSON.stringify({ ok: false, error: { code: "INTERNAL", message: "the runtime could not complete this request" } }) });
    }
    // Routes take GET only: a POST is refused before the route runs, its body drained
    // first, so the caller gets the answer, not EPIPE.
    const withBody = await request("POST", "/boom/sync", "x".repeat(2 << 20));
    expect(withBody).toMatchObject({ status: 405 });
    expect(logged.join("\n")).toContain("GET /boom/sync failed: Error: route threw before any await");
    expect(logged.join("\n")).toContain("GET /boom/async failed: Error: route rejected");
    expect(await request("GET", "/health")).toEqual({ status: 200, text: '{"ok":true}' });
  });

  it("a route that fails after its answer began cuts the connection (a partial body must not look complete)", async () => {
    const answer = await request("GET", "/boom/late");
    expect("error" in answer ? answer.error : `status ${answer.status}: ${answer.text}`).toMatch(/aborted|socket hang up|ECONNRESET/);
  });

  it("a handler's error is worded by the mapper main.ts passes in", async () => {
    const answer = await request("POST", "/rpc/boom.call", "{}");
    expect(answer).toEqual({ status: 409, text: JSON.stringify({ ok: false, error: { code: "CONFLICT", message: "mapped: engine said no" } }) });
    expect(await request("POST", "/rpc/containers.list", "{}")).toMatchObject({ status: 404 });
  });
});
