/**
 * Events latency: how long after the engine's own timestamp a change reaches
 * a client. Raw: a client of the engine's /events. Berth: a signed-in page's
 * WebSocket receiving the container.upsert that the change causes.
 */
import type { Berth } from "../berth";
import { anchorClock, docker, dockerAsync, engineGet, nowNano, summary } from "../engine";
import type { Measure } from "../measure";

const ROUNDS = 100;

export const eventsLatency: Measure = {
  name: "events latency",
  async run(berth: Berth) {
    anchorClock();
    const name = "bench-events";
    docker("run", "-d", "--name", name, "busybox", "sleep", "3600");
    const id = docker("inspect", "-f", "{{.Id}}", name);
    const raw: number[] = [];
    const viaBerth: number[] = [];
    const stamps = new Map<string, bigint>(); // "pause#3" → timeNano
    let round = 0;

    const events = await engineGet(`/events?filters=${encodeURIComponent(JSON.stringify({ container: [id] }))}`);
    let buf = "";
    events.on("data", (chunk: Buffer) => {
      const now = nowNano();
      buf += chunk.toString("utf8");
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const action = /"Action":"(\w+)"/.exec(line)?.[1];
        const timeNano = BigInt(/"timeNano":(\d+)/.exec(line)?.[1] ?? "0");
        if (action === "pause" || action === "unpause") {
          stamps.set(`${action}#${round}`, timeNano);
          raw.push(Number(now - timeNano) / 1e6);
        }
      }
    });

    const ws = await berth.socket();
    const arrivals = new Map<string, bigint>();
    let snapshot = false;
    ws.on("message", (data) => {
      const arrived = nowNano();
      const msg = JSON.parse(String(data));
      if (msg.type === "error") throw new Error(`Berth: ${msg.message}`);
      if (msg.type !== "frame" || msg.channel !== "containers") return;
      const frame = msg.data;
      if (frame.type === "containers.snapshot") snapshot = true;
      if (frame.type === "container.upsert" && frame.container.id === id) {
        const key = frame.container.state === "paused" ? `pause#${round}` : `unpause#${round}`;
        if (!arrivals.has(key)) arrivals.set(key, arrived);
      }
    });

    ws.send(JSON.stringify({ type: "subscribe", id: "bench-events", channel: "containers", env: await berth.environment(), params: {} }));
    // The whole list comes first: changes after it are the ones measured.
    await waitFor(() => snapshot);
    for (round = 0; round < ROUNDS; round++) {
      await dockerAsync("pause", name);
      await waitFor(() => arrivals.has(`pause#${round}`));
      await dockerAsync("unpause", name);
      await waitFor(() => arrivals.has(`unpause#${round}`));
    }
    for (const [key, at] of arrivals) {
      const stamp = stamps.get(key);
      if (stamp) viaBerth.push(Number(at - stamp) / 1e6);
    }
    ws.close();
    events.destroy();
    docker("rm", "-f", name);
    const r = summary(raw);
    const b = summary(viaBerth);
    return [
      { metric: "event → client p50", unit: "ms", raw: r.p50, berth: b.p50 },
      { metric: "event → client p95", unit: "ms", raw: r.p95, berth: b.p95 },
      { metric: "event → client max", unit: "ms", raw: r.max, berth: b.max },
    ];
  },
};

async function waitFor(cond: () => boolean, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for the event through Berth");
    await new Promise((r) => setTimeout(r, 1));
  }
}
