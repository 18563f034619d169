/**
 * An engine that accepts connections but never answers (a hung dockerd, a
 * proxy with nothing behind it) must not hold the runtime: it still starts
 * listening, and says the engine is not answering.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRuntime, type StartedRuntime } from "./start-runtime";

let dir: string;
let silent: net.Server;
let runtime: StartedRuntime | undefined;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-silent-"));
  // Accepts every connection, reads the request, and never writes a byte back.
  silent = net.createServer((s) => {
    sockets.add(s);
    s.on("data", () => {});
    s.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent.listen(path.join(dir, "docker.sock"), resolve));
});

afterAll(async () => {
  await runtime?.stop();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

it("a silent engine: the runtime listens within seconds and reports the engine as not answering", async () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${path.join(dir, "docker.sock")}`;
  const t0 = Date.now();
  try {
    runtime = await startRuntime("silent-engine");
  } finally {
    process.env.DOCKER_HOST = saved;
  }
  expect(Date.now() - t0).toBeLessThan(20_000);
  const status = await runtime.client.call("engine.status", {});
  expect(status.reachable).toBe(false);
  expect(status.reason).toMatch(/did not answer within 10 s/);
  // It keeps serving while the engine stays silent.
  expect((await runtime.client.call("engine.status", {})).reachable).toBe(false);
}, 40_000);
