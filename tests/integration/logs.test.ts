/**
 * Live logs through the runtime (server/engines/runtime-client.ts → /ws/logs and
 * GET /logs/download) against the private engine, with `docker logs` as the
 * oracle: byte-exact lines for TTY and non-TTY containers, ranges, filters,
 * streams, merged order, following across a restart, and the download.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogLineTuple, LogsFrame } from "../../runtime/protocol/index";
import { docker, dockerLogs, dockerQuiet, openLogs, readAll, type Runtime, sleep, startRuntime } from "./logs-helpers";

const P = `berth-logs-${process.pid}`;
const N = { plain: `${P}-plain`, tty: `${P}-tty`, seq: `${P}-seq`, a: `${P}-a`, b: `${P}-b`, restart: `${P}-restart`, big: `${P}-big` };
let rt: Runtime;

/** Multi-byte characters (2, 3 and 4 bytes) in one 80 KB line, so the driver's 16 KB splits and the chunk boundaries fall inside characters. */
const SCRIPT = [
  "echo first; echo 'zweite Zeile: äöü ß'",
  "echo to-stderr >&2",
  "yes 'é€😀' | head -n 20000 | tr -d '\\n'; echo",
  "head -c 70000 /dev/zero | tr '\\0' x; echo",
  "printf 'no newline at the end'",
].join("; ");

const joined = (lines: LogLineTuple[]) => Buffer.from(lines.map((l) => `${l[2]}\n`).join(""), "utf8");

beforeAll(async () => {
  rt = await startRuntime();
  docker("run", "-d", "--name", N.plain, "busybox", "sh", "-c", SCRIPT);
  docker("run", "-d", "-t", "--name", N.tty, "busybox", "sh", "-c", SCRIPT);
  docker("run", "-d", "--name", N.seq, "busybox", "sh", "-c", "seq 1 2000; seq 1 300 >&2");
  docker("wait", N.plain);
  docker("wait", N.tty);
  docker("wait", N.seq);
});

afterAll(async () => {
  dockerQuiet("rm", "-f", ...Object.values(N));
  await rt?.stop();
});

describe("logs stream", () => {
  it("non-TTY: stdout and stderr byte-exact, long lines and split UTF-8 intact", async () => {
    const c = await readAll(rt.client, { id: N.plain, tail: "all" });
    const want = dockerLogs(N.plain);
    const out = c.lines.filter((l) => l[1] === 0);
    const err = c.lines.filter((l) => l[1] === 1);
    // docker logs ends the unterminated last line without "\n"; we hand it over as a line.
    expect(joined(out).equals(Buffer.concat([want.stdout, Buffer.from("\n")]))).toBe(true);
    expect(joined(err).toString()).toBe(want.stderr.toString());
    expect(out.map((l) => l[2].length)).toEqual(want.stdout.toString().split("\n").map((l) => l.length));
    expect(out[3][2] === "x".repeat(70000)).toBe(true);
    expect(c.frames.find((f) => f.type === "sources")).toMatchObject({ sources: [{ name: N.plain, tty: false }] });
  });

  it("TTY: the raw stream is not demultiplexed and comes out byte-exact", async () => {
    const c = await readAll(rt.client, { id: N.tty, tail: "all" });
    const want = dockerLogs(N.tty);
    expect(c.lines.every((l) => l[1] === 0)).toBe(true);
    expect(joined(c.lines).equals(Buffer.concat([want.stdout, Buffer.from("\n")]))).toBe(true);
    expect(c.lines.map((l) => l[2].replace(/\r$/, "").length)).toEqual(want.stdout.toString().split("\n").map((l) => l.replace(/\r$/, "").length));
    expect(c.lines[4][2] === `${"x".repeat(70000)}\r`).toBe(true);
  });

  it("tail, since and until", async () => {
    const all = await readAll(rt.client, { id: N.seq, tail: "all", stderr: false });
    expect(all.lines.map((l) => l[2])).toEqual(Array.from({ length: 2000 }, (_, i) => String(i + 1)));
    // The tail is the engine's: the same lines as `docker logs --tail 100`.
    const tail = await readAll(rt.client, { id: N.seq, tail: 100 });
    const want = dockerLogs(N.seq, "--tail", "100");
    expect(tail.lines.length).toBe(100);
    expect(joined(tail.lines.filter((l) => l[1] === 0)).toString()).toBe(want.stdout.toString());
    expect(joined(tail.lines.filter((l) => l[1] === 1)).toString()).toBe(want.stderr.toString());
    const from = all.lines[1500][0];
    const to = all.lines[1700][0];
    const range = await readAll(rt.client, { id: N.seq, tail: "all", stderr: false, since: from, until: to });
    const expected = all.lines.filter((l) => l[0] >= from && l[0] <= to).map((l) => l[2]);
    expect(range.lines.map((l) => l[2])).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(201);
    // Tail with until: the last lines before until (a page further back), not the log's last lines cut at until.
    const page = await readAll(rt.client, { id: N.seq, tail: 50, stderr: false, until: to });
    expect(page.lines.map((l) => l[2])).toEqual(all.lines.filter((l) => l[0] <= to).slice(-50).map((l) => l[2]));
  });

  it("regex, case and invert filters run in the runtime; a bad regex is a clear error, not a crash", async () => {
    const re = await readAll(rt.client, { id: N.seq, tail: "all", stderr: false, search: { q: "^1\\d\\d$", regex: true } });
    expect(re.lines.map((l) => l[2])).toEqual(Array.from({ length: 100 }, (_, i) => String(100 + i)));
    expect(re.frames.at(-1)).toMatchObject({ type: "end", matches: 100, scanned: 2000 });
    const inv = await readAll(rt.client, { id: N.seq, tail: "all", stderr: false, search: { q: "0", invert: true } });
    expect(inv.lines.every((l) => !l[2].includes("0"))).toBe(true);
    expect(inv.lines.length).toBe(2000 - all0(2000));
    const plain = await readAll(rt.client, { id: N.plain, tail: "all", search: { q: "ZWEITE" } });
    expect(plain.lines.map((l) => l[2])).toEqual(["zweite Zeile: äöü ß"]);
    const cased = await readAll(rt.client, { id: N.plain, tail: "all", search: { q: "ZWEITE", caseSensitive: true } });
    expect(cased.lines).toEqual([]);
    const bad = await readAll(rt.client, { id: N.seq, search: { q: "(unclosed", regex: true } });
    expect(bad.frames).toEqual([expect.objectContaining({ type: "error", code: "BAD_REQUEST", message: expect.stringMatching(/invalid regular expression/) })]);
    expect((await rt.client.call("engine.status", {})).reachable).toBe(true);
  });

  it("stdout and stderr apart", async () => {
    const err = await readAll(rt.client, { id: N.seq, tail: "all", stdout: false });
    expect(err.lines.length).toBe(300);
    expect(err.lines.every((l) => l[1] === 1)).toBe(true);
    const out = await readAll(rt.client, { id: N.seq, tail: "all", stderr: false });
    expect(out.lines.every((l) => l[1] === 0)).toBe(true);
  });

  it("merged view: several containers and a compose project, interleaved by timestamp and tagged", async () => {
    const loop = (tag: string) => `for i in $(seq 1 40); do echo ${tag}$i; usleep 15000; done`;
    docker("create", "--name", N.a, "--label", `com.docker.compose.project=${P}-proj`, "busybox", "sh", "-c", loop("A"));
    docker("create", "--name", N.b, "--label", `com.docker.compose.project=${P}-proj`, "busybox", "sh", "-c", loop("B"));
    docker("start", N.a, N.b);
    docker("wait", N.a);
    docker("wait", N.b);
    const m = await readAll(rt.client, { ids: [N.a, N.b], tail: "all" });
    expect(m.lines.length).toBe(80);
    const stamps = m.lines.map((l) => l[0]);
    expect(stamps).toEqual([...stamps].sort());
    const sources = m.frames.find((f) => f.type === "sources");
    expect(sources).toMatchObject({ sources: [{ idx: 0, name: N.a }, { idx: 1, name: N.b }] });
    expect(m.lines.every((l) => l[2].startsWith(l[3] === 0 ? "A" : "B"))).toBe(true);
    // Both really interleave (not one block after the other).
    expect(new Set(m.lines.slice(0, 40).map((l) => l[3])).size).toBe(2);

    await rt.client.call("containers.list", {}); // the hub knows both by now
    const proj = await readAll(rt.client, { project: `${P}-proj`, tail: "all" });
    expect(proj.lines.map((l) => l[0])).toEqual(stamps);
  });

  it("follows across a restart: says it stopped, then resumes with no gap and no duplicate", async () => {
    docker("run", "-d", "--name", N.restart, "busybox", "sh", "-c", "for i in 1 2 3; do echo line-$i; done; sleep 0.3");
    const c = openLogs(rt.client, { id: N.restart, tail: "all" });
    try {
      await c.waitFor((f) => f.type === "state" && f.state === "stopped");
      expect(c.lines.map((l) => l[2])).toEqual(["line-1", "line-2", "line-3"]);
      docker("start", N.restart);
      await c.waitFor((f) => f.type === "state" && f.state === "running");
      await c.waitFor((_f, all) => all.lines.length >= 6);
      await c.waitFor((f) => f.type === "state" && f.state === "stopped");
      docker("restart", "-t", "0", N.restart);
      await c.waitFor((_f, all) => all.lines.length >= 9);
      await sleep(500);
      expect(c.lines.map((l) => l[2])).toEqual(["line-1", "line-2", "line-3", "line-1", "line-2", "line-3", "line-1", "line-2", "line-3"]);
      const stamps = c.lines.map((l) => l[0]);
      expect(new Set(stamps).size).toBe(9);
      expect(stamps).toEqual([...stamps].sort());
      // The same with a resume point: a reconnecting viewer gets only what it has not seen.
      const resumed = await readAll(rt.client, { id: N.restart, tail: "all", after: { ts: stamps[4], n: 1 } });
      expect(resumed.lines.map((l) => l[0])).toEqual(stamps.slice(5));
    } finally {
      c.close();
    }
  });

  it("download equals `docker logs` for a large log, and honours the filter", async () => {
    docker("run", "-d", "--name", N.big, "busybox", "sh", "-c", "seq 1 150000 | sed 's/$/ some padding to make the line longer, é€/'; echo done >&2");
    docker("wait", N.big);
    const res = await rt.client.get(`/logs/download?p=${encodeURIComponent(JSON.stringify({ id: N.big, follow: false, tail: "all", stderr: false }))}`);
    expect(res.statusCode).toBe(200);
    const chunks: Buffer[] = [];
    for await (const ch of res) chunks.push(ch as Buffer);
    const body = Buffer.concat(chunks);
    const want = dockerLogs(N.big).stdout;
    expect(body.length).toBe(want.length);
    expect(body.equals(want)).toBe(true);

    const filtered = await rt.client.get(`/logs/download?p=${encodeURIComponent(JSON.stringify({ id: N.big, follow: false, tail: "all", timestamps: true, search: { q: "^14999\\d ", regex: true } }))}`);
    let text = "";
    for await (const ch of filtered) text += String(ch);
    const lines = text.trimEnd().split("\n");
    expect(lines.length).toBe(10);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z 149990 some padding/);

    // A reader that stalls is not buffered for without end: the runtime skips ahead and says how many, and when.
    const frames: LogsFrame[] = [];
    let received = 0;
    const slow = rt.client.stream("logs", { id: N.big, follow: false, tail: "all" }, {
      onFrame: (json) => {
        const f = JSON.parse(String(json)) as LogsFrame;
        frames.push(f);
        if (f.type === "lines") received += f.lines.length;
      },
      onClose: () => undefined,
    });
    slow.pause();
    await sleep(1500);
    slow.resume();
    await expect.poll(() => frames.at(-1)?.type, { timeout: 30_000 }).toBe("end");
    const skips = frames.filter((f): f is Extract<LogsFrame, { type: "skipped" }> => f.type === "skipped");
    const skipped = skips.reduce((n, f) => n + f.count, 0);
    expect(skipped).toBeGreaterThan(0);
    expect(received + skipped).toBe(150_001);
    expect(skips[0].from <= skips[0].to).toBe(true);

    const missing = await rt.client.get(`/logs/download?p=${encodeURIComponent(JSON.stringify({ id: "no-such-container-xyz", follow: false }))}`);
    expect(missing.statusCode).toBe(404);
    missing.resume();
  });
});

function all0(n: number): number {
  let k = 0;
  for (let i = 1; i <= n; i++) if (String(i).includes("0")) k++;
  return k;
}
