/**
 * The log stream as a program sees it: a Node WebSocket client with a ticket,
 * through the dashboard, measuring throughput and latency (printed; the goals
 * proper are `npm run bench`'s), and resuming after a drop without duplicates.
 */
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import WebSocket from "ws";
import type { ServerFrame } from "../../server/realtime/protocol";
import { baseUrl } from "./env";
import { docker, dockerQuiet, signIn } from "./helpers";

const FLOOD = "e2e-logs-flood";
const TICK = "e2e-logs-tick";

test.afterAll(() => dockerQuiet("rm", "-f", FLOOD, TICK));

async function socket(page: Page): Promise<WebSocket> {
  const res = await page.request.post("/api/trpc/ws.ticket", { data: { json: null } });
  const ticket = (await res.json()).result.data.json.ticket as string;
  const ws = new WebSocket(`${baseUrl().replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: baseUrl() } });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return ws;
}

function collect(ws: WebSocket, id: string, onLines: (lines: [string, 0 | 1, string, number][]) => void) {
  let skipped = 0;
  ws.on("message", (data) => {
    const f = JSON.parse(String(data)) as ServerFrame;
    if (f.type !== "frame" || f.channel !== "logs" || f.id !== id) return;
    if (f.data.type === "lines") onLines(f.data.lines);
    if (f.data.type === "skipped") skipped += f.data.count;
  });
  return { skipped: () => skipped };
}

const subscribe = (ws: WebSocket, id: string, params: object) =>
  ws.send(JSON.stringify({ type: "subscribe", id, channel: "logs", env: "local", params }));

/** Lines/s of a client reading the engine's own follow stream (frames counted), for the ratio. */
function rawEngineRate(name: string, total: number): Promise<number> {
  const socketPath = process.env.DOCKER_HOST!.replace(/^unix:\/\//, "");
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ socketPath, path: `/containers/${name}/logs?stdout=1&stderr=1&follow=1&tail=all` }, (res) => {
      let n = 0;
      let buf = Buffer.alloc(0);
      res.on("data", (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        let off = 0;
        while (buf.length - off >= 8 && buf.length - off - 8 >= buf.readUInt32BE(off + 4)) {
          off += 8 + buf.readUInt32BE(off + 4);
          n++;
        }
        buf = buf.subarray(off);
        if (n >= total) {
          resolve(Math.round((n / (performance.now() - t0)) * 1000));
          req.destroy();
        }
      });
    });
    req.on("error", reject);
  });
}

test("a WebSocket client reads a log flood and a steady writer through the dashboard", async ({ page }) => {
  await signIn(page, "/");
  const TOTAL = 200_000;
  docker("run", "-d", "--name", FLOOD, "busybox", "sh", "-c", `seq 1 ${TOTAL}; sleep 600`);
  const ws = await socket(page);
  let got = 0;
  let t0 = 0;
  let t1 = 0;
  const c = collect(ws, "f", (lines) => {
    got += lines.length;
    t1 = performance.now();
  });
  t0 = performance.now();
  subscribe(ws, "f", { id: FLOOD, tail: "all" });
  await expect.poll(() => got + c.skipped(), { timeout: 30_000 }).toBe(TOTAL);
  const berth = Math.round((got / (t1 - t0)) * 1000);
  const raw = await rawEngineRate(FLOOD, TOTAL);
  console.log(`[logs] flood: Berth ${berth} lines/s (${got} lines, ${c.skipped()} skipped), raw engine ${raw} lines/s, ratio ${(berth / raw).toFixed(2)}`);

  docker("run", "-d", "--name", TICK, "busybox", "sh", "-c", "i=0; while [ $i -lt 6000 ]; do i=$((i+1)); echo tick-$i; usleep 2000; done; sleep 600");
  const lat: number[] = [];
  collect(ws, "t", (lines) => {
    const now = Date.now();
    for (const l of lines) lat.push(now - Date.parse(l[0].replace(/\.(\d{3})\d*Z$/, ".$1Z")));
  });
  subscribe(ws, "t", { id: TICK, tail: 0 });
  await expect.poll(() => lat.length, { timeout: 30_000 }).toBeGreaterThan(500);
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
  console.log(`[logs] latency engine stamp → client over ${lat.length} lines: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${lat.at(-1)} ms`);
  expect(pct(95)).toBeLessThan(250);
  ws.close();
});

test("after a dropped connection the view resumes from its last line, without duplicates", async ({ page }) => {
  await signIn(page, "/");
  let ws = await socket(page);
  const seen: string[] = [];
  let last = { ts: "", n: 0 };
  const onLines = (lines: [string, 0 | 1, string, number][]) => {
    for (const l of lines) {
      seen.push(l[2]);
      last = l[0] === last.ts ? { ts: l[0], n: last.n + 1 } : { ts: l[0], n: 1 };
    }
  };
  collect(ws, "r", onLines);
  subscribe(ws, "r", { id: TICK, tail: 5 });
  await expect.poll(() => seen.length).toBeGreaterThan(20);
  ws.terminate();
  const before = seen.length;
  await new Promise((r) => setTimeout(r, 300));
  ws = await socket(page);
  collect(ws, "r", onLines);
  subscribe(ws, "r", { id: TICK, tail: 5, after: last });
  await expect.poll(() => seen.length).toBeGreaterThan(before + 50);
  ws.close();
  const ticks = seen.map((s) => Number(s.replace("tick-", "")));
  // Consecutive: no gap across the drop, no line twice.
  for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBe(ticks[i - 1] + 1);
});
