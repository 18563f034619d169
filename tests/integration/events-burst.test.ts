/**
 * A burst of engine events (300 containers created as fast as the engine takes
 * them, as `xargs -P 8 docker create` does) through the real runtime against the
 * private engine: the runtime keeps answering its health check and RPCs within
 * the dashboard's deadlines while it follows the burst, and its live list ends
 * with every container in its right state.
 */
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ContainerSummary } from "../../runtime/protocol/index";
import { dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

const DOCKER_HOST = requirePrivateEngine();

const prefix = `berth-burst-${process.pid}`;
const COUNT = 300;
const PARALLEL = 8;
/** What the dashboard allows the runtime: /api/health's ping deadline. */
const ANSWER_MS = 2_000;
/** From the last create until the live list holds all of them. */
const SETTLE_MS = 20_000;

let runtime: StartedRuntime;

/** One engine API call over DOCKER_HOST's socket, with a connection of its own. */
function engineCall(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const socketPath = DOCKER_HOST.replace(/^unix:\/\//, "");
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, path, method, agent: false, headers: data ? { "Content-Type": "application/json" } : {} },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

async function removeOurs(): Promise<void> {
  const { text } = await engineCall("GET", `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ name: [`^${prefix}-`] }))}`);
  const ids = (JSON.parse(text) as { Id: string }[]).map((c) => c.Id);
  for (let i = 0; i < ids.length; i += 50) dockerQuiet("rm", "-f", ...ids.slice(i, i + 50));
}

beforeAll(async () => {
  if (!DOCKER_HOST.startsWith("unix://")) throw new Error(`events-burst needs the private engine on a unix socket, not ${DOCKER_HOST}`);
  runtime = await startRuntime("burst");
});

afterAll(async () => {
  // A runtime held by a busy loop never runs its SIGTERM handler.
  await runtime?.stop("SIGKILL");
  await removeOurs();
}, 120_000);

it(`answers within ${ANSWER_MS} ms while ${COUNT} containers are created at once, and lists them all`, async () => {
  const { client } = runtime;
  const live = new Map<string, ContainerSummary>();
  let snapshot = false;
  client.subscribe("events", (frame) => {
    if (frame.type === "containers.snapshot") {
      snapshot = true;
      live.clear();
      for (const c of frame.containers) live.set(c.id, c);
    } else if (frame.type === "container.upsert") live.set(frame.container.id, frame.container);
    else if (frame.type === "container.remove") live.delete(frame.id);
  });
  await expect.poll(() => snapshot, { timeout: 10_000 }).toBe(true);

  const late: string[] = [];
  let done = false;
  const began = Date.now();
  // Both the health check and an RPC answered from the hub, as the dashboard asks them.
  const prober = (async () => {
    while (!done && late.length === 0) {
      const at = `${Date.now() - began} ms in`;
      await Promise.all([
        client.ping(ANSWER_MS).catch((e: Error) => late.push(`health ${at}: ${e.message}`)),
        client.call("engine.status", {}, { timeoutMs: ANSWER_MS }).catch((e: Error) => late.push(`engine.status ${at}: ${e.message}`)),
      ]);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  const ids: string[] = [];
  let next = 1;
  const creator = async () => {
    while (next <= COUNT && late.length === 0) {
      const name = `${prefix}-${next++}`;
      const res = await engineCall("POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["true"] });
      expect(res.status, res.text).toBe(201);
      ids.push((JSON.parse(res.text) as { Id: string }).Id);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, creator));

  const ours = () => [...live.values()].filter((c) => c.name.startsWith(`${prefix}-`));
  const settleBy = Date.now() + SETTLE_MS;
  while (Date.now() < settleBy && late.length === 0 && ours().length < COUNT) await new Promise((r) => setTimeout(r, 200));
  done = true;
  await prober;

  expect(late, "the runtime did not answer within the deadline during the burst").toEqual([]);
  expect(ids).toHaveLength(COUNT);
  expect(ours().length, "containers in the live events stream").toBe(COUNT);
  expect(new Set(ours().map((c) => c.state))).toEqual(new Set(["created"]));
  const listed = (await client.call("containers.list", {}, { timeoutMs: ANSWER_MS })).filter((c) => c.name.startsWith(`${prefix}-`));
  expect(listed.map((c) => c.id).sort()).toEqual([...ids].sort());
  expect(listed.every((c) => c.state === "created" && c.image === "busybox")).toBe(true);
});
