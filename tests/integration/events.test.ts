/**
 * The engine's events through the runtime (`/ws/engine-events`, as the
 * dashboard's `events` channel opens it) against the private engine, with the
 * docker CLI making the changes: containers, images, volumes and networks
 * arrive live, filters hold (type, action, object, label), `since` brings the
 * past back, and bad params are refused naming the field.
 */
import { frameWaiter } from "./frame-waiter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEvent, EngineEventsFrame, EventsParamsInput } from "../../runtime/protocol/index";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { docker, dockerQuiet, sleep } from "./logs-helpers";
import { type StartedRuntime, startRuntime } from "./start-runtime";

const P = `berth-ev-${process.pid}`;
const LABEL = `berth.events-test=${P}`;
let rt: StartedRuntime;

interface Collected {
  frames: EngineEventsFrame[];
  /** History and live events, in the order they came. */
  events: DockerEvent[];
  waitFor(match: (f: EngineEventsFrame) => boolean, ms?: number): Promise<EngineEventsFrame>;
  closed: Promise<string | undefined>;
  close(): void;
}

function open(client: RuntimeClient, params: EventsParamsInput): Collected {
  const frames: EngineEventsFrame[] = [];
  const waiter = frameWaiter(frames);
  let resolveClosed!: (d: string | undefined) => void;
  const c: Collected = {
    frames,
    events: [],
    closed: new Promise((r) => (resolveClosed = r)),
    waitFor: (match, ms) => waiter.wait(match, ms),
    close: () => stream.close(),
  };
  const stream = client.stream("engine-events", params, {
    onFrame: (json) => {
      const f = JSON.parse(String(json)) as EngineEventsFrame;
      if (f.type === "history") c.events.push(...f.events);
      if (f.type === "event") c.events.push(f.event);
      c.frames.push(f);
      waiter.notify();
    },
    onClose: (detail) => resolveClosed(detail),
  });
  return c;
}

/** Opens a stream and waits for its first `state` frame: from then on it sees every event. */
async function live(params: EventsParamsInput): Promise<Collected> {
  const c = open(rt.client, params);
  await c.waitFor((f) => f.type === "state");
  return c;
}

const isEvent = (type: string, action: string, ref?: string) => (f: EngineEventsFrame) =>
  f.type === "event" && f.event.type === type && f.event.action.split(":")[0] === action && (ref === undefined || f.event.id === ref || f.event.name === ref);

const actions = (c: Collected) => c.events.map((e) => e.action.split(":")[0]);

let startedAt = 0;

beforeAll(async () => {
  rt = await startRuntime("events");
  startedAt = Date.now() / 1000 - 1;
});

afterAll(async () => {
  dockerQuiet("rm", "-f", `${P}-life`, `${P}-net-c`, `${P}-other`);
  dockerQuiet("network", "rm", `${P}-net`);
  dockerQuiet("volume", "rm", `${P}-vol`);
  dockerQuiet("rmi", `${P}-tag:1`);
  await rt?.stop();
});

describe("engine events", () => {
  it("a container's create, start, stop, die and destroy arrive, stamped, with its name and labels", async () => {
    const c = await live({ type: "container", label: LABEL });
    const name = `${P}-life`;
    const id = docker("create", "--label", LABEL, "--name", name, "busybox", "sleep", "300");
    docker("start", name);
    docker("stop", "-t", "1", name);
    docker("rm", name);
    await c.waitFor(isEvent("container", "destroy", id));
    const ours = c.events.filter((e) => e.id === id);
    for (const a of ["create", "start", "kill", "die", "stop", "destroy"]) expect(ours.map((e) => e.action)).toContain(a);
    expect(ours.map((e) => e.action).indexOf("create")).toBeLessThan(ours.map((e) => e.action).indexOf("start"));
    expect(ours.map((e) => e.action).indexOf("die")).toBeLessThan(ours.map((e) => e.action).indexOf("destroy"));
    for (const e of ours) {
      expect(e.name).toBe(name);
      expect(e.attributes["berth.events-test"]).toBe(P);
      // Nanoseconds as digits: exact, not rounded through a float.
      expect(e.timeNano).toMatch(/^\d{19}$/);
      expect(Math.abs(Number(e.timeNano.slice(0, 13)) - Date.now())).toBeLessThan(60_000);
    }
    // Only what the filter asked for.
    expect(c.events.every((e) => e.type === "container" && e.attributes["berth.events-test"] === P)).toBe(true);
    c.close();
  });

  it("an image pull, tag and untag arrive", async () => {
    const c = await live({ type: "image" });
    docker("pull", "busybox");
    await c.waitFor((f) => f.type === "event" && f.event.action === "pull" && f.event.id.startsWith("busybox"));
    docker("tag", "busybox", `${P}-tag:1`);
    await c.waitFor((f) => f.type === "event" && f.event.action === "tag" && f.event.attributes.name === `${P}-tag:1`);
    docker("rmi", `${P}-tag:1`);
    await c.waitFor((f) => f.type === "event" && f.event.action === "untag");
    expect(c.events.every((e) => e.type === "image")).toBe(true);
    c.close();
  });

  it("a volume's create and destroy arrive, and the object filter names it", async () => {
    const vol = `${P}-vol`;
    const c = await live({ type: "volume", object: vol });
    docker("volume", "create", vol);
    docker("volume", "rm", vol);
    await c.waitFor(isEvent("volume", "destroy", vol));
    expect(actions(c)).toEqual(["create", "destroy"]);
    expect(c.events.every((e) => e.id === vol)).toBe(true);
    c.close();
  });

  it("a network's create, connect, disconnect and destroy arrive", async () => {
    const net = `${P}-net`;
    const c = await live({ type: "network", object: net });
    const netId = docker("network", "create", net);
    const ctr = docker("run", "-d", "--name", `${P}-net-c`, "--network", net, "busybox", "sleep", "300");
    docker("rm", "-f", `${P}-net-c`);
    docker("network", "rm", net);
    await c.waitFor(isEvent("network", "destroy", netId));
    expect(actions(c)).toEqual(["create", "connect", "disconnect", "destroy"]);
    // The network is the object; the container it joined is an attribute.
    expect(c.events.find((e) => e.action === "connect")?.attributes.container).toBe(ctr);
    c.close();
  });

  it("filters by action and label keep out everything else", async () => {
    const starts = await live({ action: ["start"], label: LABEL });
    const anyLabel = await live({ label: "berth.events-test", type: ["container"] });
    const other = `${P}-other`;
    docker("run", "-d", "--label", LABEL, "--name", other, "busybox", "sleep", "300");
    // Unlabelled: neither stream may show it.
    docker("run", "--rm", "busybox", "true");
    docker("rm", "-f", other);
    await anyLabel.waitFor(isEvent("container", "destroy", other));
    await starts.waitFor(isEvent("container", "start", other));
    await sleep(200);
    expect(actions(starts)).toEqual(["start"]);
    expect(anyLabel.events.every((e) => e.name === other)).toBe(true);
    expect(actions(anyLabel)).toEqual(expect.arrayContaining(["create", "start", "kill", "die", "destroy"]));
    starts.close();
    anyLabel.close();
  });

  it("since brings back past events first (oldest first), then goes on live", async () => {
    const c = open(rt.client, { since: startedAt, label: LABEL, type: "container" });
    const history = await c.waitFor((f) => f.type === "history");
    if (history.type !== "history") throw new Error("unreachable");
    expect(history.truncated).toBe(false);
    const names = new Set(history.events.map((e) => e.name));
    expect(names).toEqual(new Set([`${P}-life`, `${P}-other`]));
    const stamps = history.events.map((e) => BigInt(e.timeNano));
    expect(stamps).toEqual([...stamps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(history.events.filter((e) => e.name === `${P}-life`).map((e) => e.action)).toEqual(
      expect.arrayContaining(["create", "start", "die", "destroy"]),
    );
    // An ISO time works the same, and live events follow the history.
    await c.waitFor((f) => f.type === "state");
    const name = `${P}-life`;
    docker("run", "-d", "--label", LABEL, "--name", name, "busybox", "true");
    await c.waitFor(isEvent("container", "start", name));
    docker("rm", "-f", name);
    c.close();

    const iso = open(rt.client, { since: new Date(startedAt * 1000).toISOString(), object: `${P}-vol` });
    const h2 = await iso.waitFor((f) => f.type === "history");
    expect(h2.type === "history" && h2.events.map((e) => e.action)).toEqual(["create", "destroy"]);
    iso.close();
  });

  it("a reader that stops reading is not queued for without bound: events are counted, then `skipped` says how many", async () => {
    // Each event carries the container's labels: 100 KB of label makes a few events megabytes.
    const big = "x".repeat(100_000);
    const label = `berth.events-big=${P}`;
    const frames: EngineEventsFrame[] = [];
    const stream = rt.client.stream("engine-events", { type: "container", label, action: ["create", "start", "die", "destroy"] }, {
      onFrame: (json) => frames.push(JSON.parse(String(json)) as EngineEventsFrame),
      onClose: () => undefined,
    });
    await expect.poll(() => frames.some((f) => f.type === "state"), { timeout: 15_000 }).toBe(true);
    stream.pause();
    const runs = 8;
    for (let i = 0; i < runs; i++) docker("run", "--rm", "--label", label, "--label", `big=${big}`, "busybox", "true");
    stream.resume();
    await expect.poll(() => frames.some((f) => f.type === "skipped"), { timeout: 15_000 }).toBe(true);
    const skipped = frames.filter((f) => f.type === "skipped").reduce((n, f) => n + (f.type === "skipped" ? f.count : 0), 0);
    // Every event is either sent or counted, none twice.
    await expect.poll(() => frames.filter((f) => f.type === "event").length + skipped, { timeout: 15_000 }).toBe(runs * 4);
    expect(skipped).toBeGreaterThan(0);
    expect(frames.filter((f) => f.type === "event").length).toBeGreaterThan(0);
    const skip = frames.find((f) => f.type === "skipped");
    expect(skip?.type === "skipped" && BigInt(skip.from) <= BigInt(skip.to)).toBe(true);
    // And live events flow again after it.
    docker("run", "--rm", "--label", label, "busybox", "true");
    await expect.poll(() => frames.filter((f) => f.type === "event").length + skipped, { timeout: 15_000 }).toBe(runs * 4 + 4);
    stream.close();
  });

  it("bad params are refused naming the field, and the runtime goes on serving", async () => {
    const cases: [unknown, string][] = [
      [{ type: "bogus" }, "type[0]"],
      [{ type: ["container", "images"] }, "type[1]"],
      [{ action: "x".repeat(65) }, "action[0]"],
      [{ object: "a\u0000b" }, "object[0]"],
      [{ label: Array.from({ length: 21 }, (_, i) => `k${i}`) }, "label"],
      [{ label: "" }, "label[0]"],
      [{ since: "yesterday" }, "since"],
      [{ since: Date.now() / 1000 + 3600 }, "since"],
      [{ since: -5 }, "since"],
      [{ type: { $ne: 1 } }, "type"],
    ];
    for (const [params, field] of cases) {
      const c = open(rt.client, params as EventsParamsInput);
      const f = await c.waitFor((x) => x.type === "error");
      expect(f, JSON.stringify(params)).toMatchObject({ type: "error", code: "BAD_REQUEST", field });
      expect(f.type === "error" && f.message.startsWith(`${field}:`)).toBe(true);
      await c.closed;
    }
    const unknown = open(rt.client, { kind: "container" } as unknown as EventsParamsInput);
    expect(await unknown.waitFor((x) => x.type === "error")).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("kind") });
    expect((await rt.client.call("engine.status", {})).reachable).toBe(true);
  });
});
