/**
 * A catastrophic pattern cannot freeze the runtime: `(a+)+$` over a line of 40
 * `a`s and a `!` (about 2^40 steps for a backtracking engine) answers at once
 * in a live view, a download, a history search and a history download, and
 * `engine.status` keeps answering while it runs. Patterns the linear-time
 * engine cannot run are a 400 that names the field.
 */
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet, openLogs, type Runtime, sleep, startRuntime } from "./logs-helpers";
import { callError } from "./start-runtime";

const P = `berth-linear-${process.pid}`;
const NAME = `${P}-evil`;
const LINE = `${"a".repeat(40)}!`;
const EVIL = { q: "(a+)+$", regex: true };
const REFUSED = "search: this pattern cannot run in linear time (backreferences, lookaround and repetition counts over 16 are not supported)";
let rt: Runtime;

/** Rejects after `ms`, so a runtime stuck in a match fails the test instead of hanging it. */
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what}: no answer within ${ms} ms`)))]);

/**
 * Runs `work` while asking engine.status every 20 ms; returns its result and the
 * slowest status answer (a probe still waiting when work ends counts as it stands).
 */
async function whileProbing<T>(work: () => Promise<T>): Promise<{ result: T; slowestStatusMs: number }> {
  let done = false;
  let slowest = 0;
  let pendingSince: number | undefined;
  const probe = (async () => {
    while (!done) {
      pendingSince = performance.now();
      await within(rt.client.call("engine.status", {}), 3000, "engine.status").catch(() => undefined);
      slowest = Math.max(slowest, performance.now() - pendingSince);
      pendingSince = undefined;
      await sleep(20);
    }
  })();
  const result = await work();
  // Give a probe sent during the work a moment to land, then count one still waiting.
  await sleep(100);
  done = true;
  if (pendingSince !== undefined) slowest = Math.max(slowest, performance.now() - pendingSince);
  await Promise.race([probe, sleep(3000)]);
  return { result, slowestStatusMs: slowest };
}

async function body(res: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of res) text += String(chunk);
  return text;
}

const query = (p: object) => encodeURIComponent(JSON.stringify(p));

beforeAll(async () => {
  rt = await startRuntime();
  await rt.client.call("logs.history.set", { container: NAME, enabled: true });
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", `echo ${LINE}; echo other-line; sleep 600`);
  for (let i = 0; i < 60; i++) {
    const s = await rt.client.call("logs.history.status", {});
    if ((s.usage.find((u) => u.container === NAME)?.lines ?? 0) >= 2) return;
    await sleep(250);
  }
  throw new Error("the container's lines were not recorded");
});

afterAll(async () => {
  dockerQuiet("rm", "-f", NAME);
  // A runtime stuck in a match cannot run its SIGTERM handler.
  const stopped = rt?.stop();
  await Promise.race([stopped, sleep(5000)]);
  if (rt && rt.child.exitCode === null) {
    rt.child.kill("SIGKILL");
    await stopped;
  }
});

describe("history download errors name their field", () => {
  it.each([
    [{ container: NAME, since: "yesterday" }, "since", "since: must be a time (ISO 8601)"],
    [{ container: NAME, until: "soon" }, "until", "until: must be a time (ISO 8601)"],
    [{ container: "" }, "container", expect.stringMatching(/^container: /)],
    [{ container: NAME, search: { q: "(", regex: true } }, "search.q", expect.stringMatching(/^search: invalid regular expression: /)],
    [{ container: NAME, search: { q: 5 } }, "search.q", expect.stringMatching(/^search\.q: /)],
  ])("%j → 400 naming %s", async (p, field, message) => {
    const res = await rt.client.get(`/logs/history/download?p=${query(p)}`);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(await body(res))).toEqual({ ok: false, error: { code: "BAD_REQUEST", field, message } });
  });

  it("a p that is not JSON is named", async () => {
    const res = await rt.client.get("/logs/history/download?p=%7Bnot-json");
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(await body(res))).toEqual({ ok: false, error: { code: "BAD_REQUEST", field: "p", message: "p: must be JSON" } });
  });
});

describe("log search in linear time", () => {
  it("a live search with (a+)+$ answers within 1 s while engine.status answers within 200 ms", async () => {
    const t0 = performance.now();
    const { result: view, slowestStatusMs } = await whileProbing(async () => {
      const v = openLogs(rt.client, { id: NAME, follow: false, tail: "all", search: EVIL });
      await v.waitFor((f) => f.type === "end" || f.type === "error", 1000);
      return v;
    });
    expect(performance.now() - t0).toBeLessThan(1000 + 200);
    expect(view.frames.at(-1)).toMatchObject({ type: "end", matches: 0 });
    expect(view.lines).toEqual([]);
    expect(slowestStatusMs).toBeLessThan(200);

    // Case-insensitive, and a variant that does match the line.
    const ci = openLogs(rt.client, { id: NAME, follow: false, tail: "all", search: { q: "(A+)+!$", regex: true, caseSensitive: false } });
    await ci.waitFor((f) => f.type === "end", 1000);
    expect(ci.lines.map((l) => l[2])).toEqual([LINE]);
  });

  it("a download with (a+)+$ answers within 1 s", async () => {
    const res = await within(rt.client.get(`/logs/download?p=${query({ id: NAME, follow: false, tail: "all", search: { q: "(a+)+$|other", regex: true } })}`), 1000, "download");
    expect(res.statusCode).toBe(200);
    expect(await within(body(res), 1000, "download body")).toBe("other-line\n");
  });

  it("a history search and a history download with (a+)+$ answer within 1 s while engine.status answers within 200 ms", async () => {
    const t0 = performance.now();
    const { result: found, slowestStatusMs } = await whileProbing(() =>
      within(rt.client.call("logs.history.search", { container: NAME, search: EVIL }), 1000, "logs.history.search"),
    );
    expect(performance.now() - t0).toBeLessThan(1000 + 200);
    expect(found).toMatchObject({ matches: 0, lines: [] });
    expect(found.scanned).toBeGreaterThanOrEqual(2);
    expect(slowestStatusMs).toBeLessThan(200);

    const matching = await within(rt.client.call("logs.history.search", { container: NAME, search: { q: "(A+)+!$", regex: true } }), 1000, "logs.history.search");
    expect(matching.lines.map((l) => l[2])).toEqual([LINE]);

    const res = await within(rt.client.get(`/logs/history/download?p=${query({ container: NAME, search: { q: "(a+)+$|other", regex: true } })}`), 1000, "history download");
    expect(res.statusCode).toBe(200);
    expect((await within(body(res), 1000, "history download body")).replace(/^\S+ /gm, "")).toBe(`${NAME} | other-line\n`);
  });

  it("refuses backreferences and lookaround with a 400 that names the field, everywhere", async () => {
    for (const q of ["(a)\\1", "(?<=a)b", "(?!a)"]) {
      const search = { q, regex: true };
      const view = openLogs(rt.client, { id: NAME, follow: false, search });
      await view.waitFor((f) => f.type === "error");
      expect(view.frames).toEqual([{ type: "error", code: "BAD_REQUEST", message: REFUSED, field: "search.q" }]);

      const err = await callError(rt.client.call("logs.history.search", { container: NAME, search }));
      expect(err).toMatchObject({ code: "BAD_REQUEST", field: "search.q", message: REFUSED });

      for (const path of [`/logs/download?p=${query({ id: NAME, follow: false, search })}`, `/logs/history/download?p=${query({ container: NAME, search })}`]) {
        const res = await rt.client.get(path);
        expect(res.statusCode).toBe(400);
        expect(JSON.parse(await body(res))).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", field: "search.q", message: REFUSED } });
      }
    }
  });
});
