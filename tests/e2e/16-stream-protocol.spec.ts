/**
 * The stream protocol of /api/ws (server/realtime/PROTOCOL.md), spoken
 * directly with the `ws` package, no browser: a ticket from tRPC, then
 * subscriptions to `containers` and `logs` of environment `local`, and every
 * refusal the hub makes (unknown channel, unknown environment, bad params,
 * one subscription over the limit). Every frame received must match the
 * protocol's own schema.
 */
import { expect, test } from "@playwright/test";
import WebSocket from "ws";
import { LIMITS } from "../../server/realtime/backpressure";
import { type ClientMessage, serverFrameSchema, type ServerFrame } from "../../server/realtime/protocol";
import { Jar, signIn, trpc, type Client } from "../support/auth-client";
import { ADMIN, baseUrl } from "./env";
import { docker, dockerQuiet } from "./helpers";

const TICK = "e2e-proto-tick";

test.afterAll(() => dockerQuiet("rm", "-f", TICK));

class Peer {
  readonly frames: ServerFrame[] = [];
  readonly invalid: string[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const text = String(data);
      const parsed = serverFrameSchema.safeParse(JSON.parse(text));
      if (parsed.success) this.frames.push(parsed.data);
      else this.invalid.push(`${text.slice(0, 300)} → ${parsed.error.message.slice(0, 300)}`);
    });
  }

  static async open(c: Client): Promise<Peer> {
    const reply = await trpc(c, "ws.ticket", null, "mutation");
    expect(reply.status, reply.body).toBe(200);
    const { ticket } = JSON.parse(reply.body).result.data.json as { ticket: string };
    const ws = new WebSocket(`${baseUrl().replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: baseUrl() } });
    const peer = new Peer(ws);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return peer;
  }

  send(msg: ClientMessage | string): void {
    this.ws.send(typeof msg === "string" ? msg : JSON.stringify(msg));
  }

  /** The first frame (from `from` on) that `match` accepts. */
  async next<F extends ServerFrame>(match: (f: ServerFrame) => f is F, from = 0, timeout = 15_000): Promise<F> {
    let found: F | undefined;
    await expect
      .poll(() => (found = this.frames.slice(from).find(match)), { timeout, message: "no such frame arrived" })
      .toBeDefined();
    return found!;
  }

  of(id: string): ServerFrame[] {
    return this.frames.filter((f) => "id" in f && f.id === id);
  }

  close(): void {
    this.ws.close();
  }
}

const isFrame = (id: string) => (f: ServerFrame): f is Extract<ServerFrame, { type: "frame" }> => f.type === "frame" && f.id === id;
const isError = (id?: string) => (f: ServerFrame): f is Extract<ServerFrame, { type: "error" }> => f.type === "error" && f.id === id;
const isClosed = (id: string) => (f: ServerFrame): f is Extract<ServerFrame, { type: "closed" }> => f.type === "closed" && f.id === id;

async function signedIn(): Promise<Client> {
  const c: Client = { base: baseUrl(), jar: new Jar() };
  expect((await signIn(c, ADMIN.username, ADMIN.password)).status).toBe(200);
  return c;
}

test("containers and logs of environment local, then unsubscribe stops the frames", async () => {
  const peer = await Peer.open(await signedIn());
  const hello = await peer.next((f): f is Extract<ServerFrame, { type: "hello" }> => f.type === "hello");
  expect(hello).toMatchObject({ user: "admin", protocol: 1, limits: { maxSubscriptions: LIMITS.maxSubscriptions } });

  peer.send({ type: "subscribe", id: "c", channel: "containers", env: "local", params: {} });
  const engine = await peer.next(isFrame("c"));
  expect(engine).toMatchObject({ channel: "containers", data: { type: "engine", engine: { reachable: true } } });
  await peer.next((f): f is ServerFrame => isFrame("c")(f) && f.data.type === "containers.snapshot");

  docker("run", "-d", "--name", TICK, "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.05; done");
  await peer.next((f): f is ServerFrame => isFrame("c")(f) && f.data.type === "container.upsert" && f.data.container.name === TICK);

  peer.send({ type: "subscribe", id: "l", channel: "logs", env: "local", params: { id: TICK, tail: 5 } });
  await peer.next((f): f is ServerFrame => isFrame("l")(f) && f.channel === "logs" && f.data.type === "sources");
  await peer.next((f): f is ServerFrame => isFrame("l")(f) && f.channel === "logs" && f.data.type === "lines" && f.data.lines.some((l) => l[2].startsWith("tick-")));

  peer.send({ type: "unsubscribe", id: "l" });
  await peer.next(isClosed("l"));
  const after = peer.of("l").length;
  // The writer goes on (a line every 50 ms): an unsubscribed view must hear none of it.
  await new Promise((r) => setTimeout(r, 1000));
  expect(peer.of("l").length).toBe(after);
  expect(peer.of("l").at(-1)).toEqual({ type: "closed", id: "l" });

  peer.send({ type: "ping" });
  await peer.next((f): f is Extract<ServerFrame, { type: "pong" }> => f.type === "pong");
  expect(peer.invalid).toEqual([]);
  peer.close();
});

test("refusals: unknown channel, unknown environment, bad params and messages, each naming its field", async () => {
  const peer = await Peer.open(await signedIn());

  peer.send({ type: "subscribe", id: "x1", channel: "nope", env: "local", params: {} });
  expect(await peer.next(isError("x1"))).toMatchObject({ code: "NOT_FOUND", field: "channel", message: expect.stringContaining('"nope"') });
  await peer.next(isClosed("x1"));

  peer.send({ type: "subscribe", id: "x2", channel: "containers", env: "nope", params: {} });
  expect(await peer.next(isError("x2"))).toMatchObject({ code: "NOT_FOUND", field: "env", message: expect.stringContaining('"nope"') });
  await peer.next(isClosed("x2"));

  peer.send({ type: "subscribe", id: "x3", channel: "logs", env: "local", params: { id: TICK, tail: -1 } });
  expect(await peer.next(isError("x3"))).toMatchObject({ code: "BAD_REQUEST", field: "params.tail", message: expect.stringMatching(/^params\.tail: /) });

  peer.send({ type: "subscribe", id: "x4", channel: "logs", env: "local", params: { tail: 5 } });
  expect(await peer.next(isError("x4"))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("exactly one of id, ids or project") });

  peer.send({ type: "subscribe", id: "x5", channel: "containers", env: "Not An Env", params: {} });
  expect(await peer.next(isError("x5"))).toMatchObject({ code: "BAD_REQUEST", field: "env" });

  // Deep nesting is the channel's to refuse, at once: the envelope does not walk it.
  peer.send(`{"type":"subscribe","id":"x7","channel":"logs","env":"local","params":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`);
  expect(await peer.next(isError("x7"), 0, 5000)).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("exactly one of id, ids or project") });

  const n = peer.frames.length;
  peer.send("not json");
  expect(await peer.next(isError(undefined), n)).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("JSON") });
  const m = peer.frames.length;
  peer.send(JSON.stringify({ type: "open", id: "x6" }));
  expect(await peer.next(isError("x6"), m)).toMatchObject({ code: "BAD_REQUEST", field: "type" });

  // None of them opened anything: no data frame for any of these ids.
  expect(peer.frames.filter((f) => f.type === "frame")).toEqual([]);
  expect(peer.invalid).toEqual([]);
  peer.close();
});

test("a subscription over the per-socket limit is refused; freeing one makes room", async () => {
  const peer = await Peer.open(await signedIn());
  for (let i = 0; i < LIMITS.maxSubscriptions; i++) peer.send({ type: "subscribe", id: `s${i}`, channel: "containers", env: "local", params: {} });
  for (let i = 0; i < LIMITS.maxSubscriptions; i++) await peer.next(isFrame(`s${i}`));

  peer.send({ type: "subscribe", id: "over", channel: "containers", env: "local", params: {} });
  expect(await peer.next(isError("over"))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining(`at most ${LIMITS.maxSubscriptions}`) });
  await peer.next(isClosed("over"));
  expect(peer.of("over").filter((f) => f.type === "frame")).toEqual([]);

  // Reusing an id replaces its subscription instead of adding one.
  const n = peer.frames.length;
  peer.send({ type: "subscribe", id: "s0", channel: "containers", env: "local", params: {} });
  await peer.next(isFrame("s0"), n);
  expect(peer.frames.slice(n).some((f) => f.type === "error")).toBe(false);

  peer.send({ type: "unsubscribe", id: "s1" });
  await peer.next(isClosed("s1"));
  const m = peer.frames.length;
  peer.send({ type: "subscribe", id: "over", channel: "containers", env: "local", params: {} });
  await peer.next(isFrame("over"), m);
  expect(peer.invalid).toEqual([]);
  peer.close();
});
