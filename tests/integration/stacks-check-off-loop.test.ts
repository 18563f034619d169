/**
 * Checking a compose file costs CPU (the YAML parser: about 0.3 s for a map of
 * 9,000 keys), and anyone who may read stacks can send one: the runtime loads
 * files in a worker thread, so while several such checks run, another call
 * still answers at once instead of waiting behind them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

let rt: StartedRuntime;

beforeAll(async () => {
  rt = await startRuntime("stacks-off-loop");
});

afterAll(async () => {
  await rt?.stop();
});

const heavy = (seed: number) => {
  let f = `services:\n  a${seed}:\n    image: busybox\n    labels:\n`;
  for (let i = 0; i < 9000; i++) f += `      l${i}: v${seed}\n`;
  return f;
};

describe("the runtime while compose files are checked", () => {
  it("answers another call within 250 ms while six heavy files are being checked", async () => {
    // Warm: the first check starts the worker and compiles the schema.
    await rt.client.call("stacks.check", { name: "warm", file: "services:\n  a:\n    image: busybox\n", env: "" });
    const t0 = performance.now();
    const checks = Array.from({ length: 6 }, (_, i) => rt.client.call("stacks.check", { name: `heavy${i}`, file: heavy(i), env: "" }));
    await new Promise((r) => setTimeout(r, 50));
    const probe0 = performance.now();
    await rt.client.call("tasks.list", {});
    const probe = performance.now() - probe0;
    const results = await Promise.all(checks);
    const all = performance.now() - t0;
    expect(results.every((r) => r.ok)).toBe(true);
    // The checks themselves took long (so the probe really ran while they were busy)…
    expect(all).toBeGreaterThan(600);
    // …and the probe did not wait for them.
    expect(probe).toBeLessThan(250);
  });
});
