/**
 * Events latency: 100 `docker stop` / `docker start` cycles from the CLI. For
 * each event of the container (kill, die, stop, start), the time from the
 * engine's own stamp (timeNano) to its arrival, in the same run, at a client
 * of the engine's /events (raw) and at a signed-in WebSocket client of
 * Berth's `events` channel. Also: how long after the engine's stamp a real
 * page's container list shows the new state (die → "exited", start → "running").
 */
import type { Berth } from "../berth";
import { openBrowser, signedInPage } from "../browser";
import { anchorClock, docker, dockerAsync, engineGet, nowNano, summary } from "../engine";
import type { Measure } from "../measure";

const ROUNDS = 100;
const NAME = "bench-events";
/** The events each cycle makes, and the ones the list shows as a state. */
const ACTIONS = new Set(["kill", "die", "stop", "start"]);

export const eventsLatency: Measure = {
  name: "events latency",
  async run(berth: Berth) {
    anchorClock();
    dockerQuietRm();
    // A PID 1 that ends on SIGTERM, so `docker stop` is a stop, not a 10 s wait and a kill.
    docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");
    const id = docker("inspect", "-f", "{{.Id}}", NAME);
    const env = await berth.environment();

    // Raw: the engine's /events, filtered to this container by the engine.
    const rawAt = new Map<string, bigint>(); // "action@timeNano" → arrival
    const stamps: { action: string; timeNano: bigint }[] = [];
    const events = await engineGet(`/events?filters=${encodeURIComponent(JSON.stringify({ container: [id] }))}`);
    let buf = "";
    events.on("data", (chunk: Buffer) => {
      const now = nowNano();
      buf += chunk.toString("utf8");
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const action = /"Action":"(\w+)"/.exec(line)?.[1] ?? "";
        const timeNano = /"timeNano":(\d+)/.exec(line)?.[1] ?? "0";
        if (!ACTIONS.has(action)) continue;
        rawAt.set(`${action}@${timeNano}`, now);
        stamps.push({ action, timeNano: BigInt(timeNano) });
      }
    });

    // Berth: the `events` channel of the environment, filtered to this container by Berth.
    const ws = await berth.socket();
    const berthAt = new Map<string, bigint>();
    let live = false;
    ws.on("message", (data) => {
      const arrived = nowNano();
      const msg = JSON.parse(String(data));
      if (msg.type === "error") throw new Error(`Berth: ${msg.message}`);
      if (msg.type !== "frame" || msg.channel !== "events") return;
      const frame = msg.data;
      if (frame.type === "state") live = frame.live;
      if (frame.type === "event" && ACTIONS.has(frame.event.action)) berthAt.set(`${frame.event.action}@${frame.event.timeNano}`, arrived);
    });
    ws.send(JSON.stringify({ type: "subscribe", id: "bench-events", channel: "events", env, params: { type: "container", object: id } }));
    await waitFor(() => live, "the events subscription");

    // Phase 1: the clients alone (a page re-rendering on the same 2 cores would be measured too).
    const has = (m: Map<string, bigint>, action: string, from: number) => stamps.slice(from).some((s) => s.action === action && m.has(`${action}@${s.timeNano}`));
    const cycle = async (afterStop: () => Promise<unknown>, afterStart: () => Promise<unknown>) => {
      let from = stamps.length;
      await dockerAsync("stop", NAME);
      await waitFor(() => has(rawAt, "stop", from) && has(berthAt, "stop", from), "stop through Berth");
      await afterStop();
      from = stamps.length;
      await dockerAsync("start", NAME);
      await waitFor(() => has(rawAt, "start", from) && has(berthAt, "start", from), "start through Berth");
      await afterStart();
    };
    const none = async () => undefined;
    for (let round = 0; round < ROUNDS; round++) await cycle(none, none);
    const raw: number[] = [];
    const viaBerth: number[] = [];
    for (const s of stamps) {
      const key = `${s.action}@${s.timeNano}`;
      const r = rawAt.get(key);
      const b = berthAt.get(key);
      if (r === undefined || b === undefined) continue;
      raw.push(Number(r - s.timeNano) / 1e6);
      viaBerth.push(Number(b - s.timeNano) / 1e6);
    }

    // Phase 2: a page's container list, watched for the row's state changing.
    const browser = await openBrowser();
    const list: number[] = [];
    try {
      const { page } = await signedInPage(browser, berth);
      await page.goto(`/e/${env}/containers`);
      await page.locator(`tr[data-container="${NAME}"] [data-testid="state"]`).waitFor();
      // A string, not a function: tsx's helpers (`__name`) do not exist in the page.
      await page.evaluate(`(() => {
        const states = (window.__benchStates = []);
        let last = "";
        const look = () => {
          const state = document.querySelector('tr[data-container="${NAME}"] [data-testid="state"]')?.textContent ?? "";
          // "" while the row is re-rendered (not on screen for a moment): not a state.
          if (state === last || state === "") return;
          last = state;
          states.push({ state, at: performance.timeOrigin + performance.now() });
        };
        look();
        new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      const pageStates = (n: number) =>
        // An anonymous arrow (tsx names only named ones); a string would be eval, which the page's CSP refuses.
        page.waitForFunction((count) => ((globalThis as unknown as { __benchStates?: unknown[] }).__benchStates?.length ?? 0) >= count, n, {
          timeout: 10_000,
        });
      const first = stamps.length;
      for (let round = 0; round < ROUNDS; round++) await cycle(() => pageStates(2 * round + 2), () => pageStates(2 * round + 3));
      const seen = ((await page.evaluate("window.__benchStates")) as { state: string; at: number }[]).slice(1);
      // Each change is timed from the engine's stamp of the event that made it (die → exited,
      // start → running): the latest such one before it. Each cycle waits for the page, so it is that one.
      const listStamps = stamps.slice(first).filter((s) => s.action === "die" || s.action === "start");
      for (const change of seen) {
        const action = change.state === "exited" ? "die" : change.state === "running" ? "start" : undefined;
        const atNano = BigInt(Math.round(change.at * 1e6));
        const s = listStamps.filter((x) => x.action === action && x.timeNano <= atNano).at(-1);
        if (s) list.push(change.at - Number(s.timeNano / 1000n) / 1000);
      }
    } finally {
      await browser.close();
      ws.close();
      events.destroy();
      docker("rm", "-f", NAME);
    }

    const r = summary(raw);
    const b = summary(viaBerth);
    const l = summary(list);
    const goal = Math.min(1.5 * r.p95, 10);
    return [
      { metric: `event → client p50 (${raw.length} events)`, unit: "ms", raw: r.p50, berth: b.p50 },
      { metric: "event → client p95", unit: "ms", raw: r.p95, berth: b.p95, goal: "≤ 1.5× raw, ≤ 10 ms", met: b.p95 <= goal },
      { metric: "event → client max", unit: "ms", raw: r.max, berth: b.max },
      { metric: `event → list in a page p50 (${list.length} changes)`, unit: "ms", raw: null, berth: l.p50 },
      { metric: "event → list in a page p95", unit: "ms", raw: null, berth: l.p95, goal: "≤ 100 ms", met: l.p95 <= 100 },
    ];
  },
};

function dockerQuietRm(): void {
  try {
    docker("rm", "-f", NAME);
  } catch {
    // not there
  }
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
