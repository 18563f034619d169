/**
 * Keep history: recorded lines outlive `docker rm` and a recreate and are found
 * by search; and a 50,000 lines/s burst for 10 s is recorded, and streamed,
 * without losing a line (every line is counted).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet, openLogs, type Runtime, sleep, startRuntime } from "./logs-helpers";

const P = `berth-hist-${process.pid}`;
const N = { hist: `${P}-kept`, flood: `${P}-flood`, any: `${P}-any` };
let rt: Runtime;

async function recordedLines(container: string, want: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let lines = 0;
  while (Date.now() < deadline) {
    const s = await rt.client.call("logs.history.status", {});
    lines = s.usage.find((u) => u.container === container)?.lines ?? 0;
    if (lines >= want) return lines;
    await sleep(250);
  }
  return lines;
}

beforeAll(async () => {
  rt = await startRuntime();
});

afterAll(async () => {
  dockerQuiet("rm", "-f", ...Object.values(N));
  await rt?.stop();
});

describe("log history", () => {
  it("keeps a container's lines after docker rm and a recreate, and finds them by search", async () => {
    const status = await rt.client.call("logs.history.set", { container: N.hist, enabled: true });
    expect(status.containers).toContain(N.hist);
    expect(status.perContainerCap).toBeGreaterThan(0);
    docker("run", "-d", "--name", N.hist, "busybox", "sh", "-c", "for i in $(seq 1 200); do echo marker-$i; done; echo oops >&2; sleep 30");
    expect(await recordedLines(N.hist, 201, 15_000)).toBe(201);
    docker("rm", "-f", N.hist);

    const found = await rt.client.call("logs.history.search", { container: N.hist, search: { q: "marker-4\\d$", regex: true } });
    expect(found.lines.map((l) => l[2])).toEqual(Array.from({ length: 10 }, (_, i) => `marker-4${i}`));
    expect(found.lines.every((l) => l[3] === N.hist && l[1] === 0)).toBe(true);
    const dl = await rt.client.get(`/logs/history/download?p=${encodeURIComponent(JSON.stringify({ container: N.hist, search: { q: "marker-4\\d$", regex: true } }))}`);
    let text = "";
    for await (const ch of dl) text += String(ch);
    expect(text.trimEnd().split("\n").map((l) => l.replace(/^\S+ /, ""))).toEqual(Array.from({ length: 10 }, (_, i) => `${N.hist} | marker-4${i}`));
    const err = await rt.client.call("logs.history.search", { container: N.hist, stdout: false });
    expect(err.lines.map((l) => [l[1], l[2]])).toEqual([[1, "oops"]]);

    // Recreated under the same name: its history continues, both runs searchable.
    docker("run", "-d", "--name", N.hist, "busybox", "sh", "-c", "echo second-run; sleep 30");
    expect(await recordedLines(N.hist, 202, 15_000)).toBe(202);
    docker("rm", "-f", N.hist);
    const both = await rt.client.call("logs.history.search", { container: N.hist, search: { q: "marker-200|second-run", regex: true } });
    expect(both.lines.map((l) => l[2])).toEqual(["marker-200", "second-run"]);
    const st = await rt.client.call("logs.history.status", {});
    expect(st.usage.find((u) => u.container === N.hist)?.ids).toHaveLength(2);

    const bad = await rt.client.call("logs.history.search", { search: { q: "([", regex: true } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("keeps every container's history when set for all containers", async () => {
    expect((await rt.client.call("logs.history.set", { all: true, enabled: true })).all).toBe(true);
    docker("run", "-d", "--name", N.any, "busybox", "sh", "-c", "echo recorded-without-asking; sleep 30");
    expect(await recordedLines(N.any, 1, 10_000)).toBe(1);
    expect((await rt.client.call("logs.history.set", { all: true, enabled: false })).all).toBe(false);
    docker("rm", "-f", N.any);
  });

  it("a 50,000 lines/s burst for 10 s: recorded and streamed without losing a line", async () => {
    await rt.client.call("logs.history.set", { container: N.flood, enabled: true });
    const TOTAL = 500_000;
    docker("create", "--name", N.flood, "busybox", "sh", "-c", "for s in 0 1 2 3 4 5 6 7 8 9; do seq $((s*50000+1)) $((s*50000+50000)); sleep 1; done");
    const live = openLogs(rt.client, { id: N.flood, tail: "all" });
    await live.waitFor((f) => f.type === "sources");
    docker("start", N.flood);
    docker("wait", N.flood);
    await live.waitFor((_f, c) => c.lines.length + c.skipped >= TOTAL, 30_000);
    live.close();
    // Every line arrived or was reported skipped, in order, none twice.
    expect(live.lines.length + live.skipped).toBe(TOTAL);
    let prev = 0;
    for (const l of live.lines) {
      const n = Number(l[2]);
      expect(n > prev).toBe(true);
      prev = n;
    }
    expect(await recordedLines(N.flood, TOTAL, 20_000)).toBe(TOTAL);
    const last = await rt.client.call("logs.history.search", { container: N.flood, search: { q: "^(1|250000|500000)$", regex: true } });
    expect(last.lines.map((l) => l[2])).toEqual(["1", "250000", "500000"]);
    expect(last.scanned).toBe(TOTAL);
  }, 90_000);
});
