/**
 * Every runtime method has a deadline, derived from the input where the input says
 * how long Docker may take; the dashboard always waits a little longer than the runtime.
 */
import { describe, expect, it } from "vitest";
import { DASHBOARD_MARGIN_MS, DEFAULT_DEADLINE_MS, methodDeadlineMs, methods } from "../../runtime/protocol/index";

describe("methodDeadlineMs", () => {
  it("gives every method a finite, positive deadline, also for junk input", () => {
    for (const name of Object.keys(methods)) {
      for (const input of [undefined, null, {}, { timeout: "x" }, { ids: "nope" }, { timeout: -5, ids: [] }]) {
        const ms = methodDeadlineMs(name, input);
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThan(0);
      }
    }
    expect(methodDeadlineMs("containers.list", {})).toBe(DEFAULT_DEADLINE_MS);
    expect(DEFAULT_DEADLINE_MS + DASHBOARD_MARGIN_MS).toBe(30_000);
  });

  it("a stop waits for the timeout it asks Docker for, plus a margin", () => {
    expect(methodDeadlineMs("containers.stop", { id: "x", timeout: 600 })).toBe(630_000);
    expect(methodDeadlineMs("containers.restart", { id: "x", timeout: 600 })).toBe(660_000);
    // No timeout: the container's own StopTimeout applies, which may exceed Docker's 10 s.
    expect(methodDeadlineMs("containers.stop", { id: "x" })).toBeGreaterThanOrEqual(120_000);
  });

  it("pulls and commits get long deadlines; a bulk stop scales with its ids and timeout", () => {
    expect(methodDeadlineMs("containers.create", { spec: {} })).toBeGreaterThanOrEqual(600_000);
    expect(methodDeadlineMs("containers.commit", { id: "x" })).toBeGreaterThanOrEqual(600_000);
    const ids = Array.from({ length: 80 }, (_, i) => `c${i}`);
    expect(methodDeadlineMs("containers.bulk", { action: "stop", ids, timeout: 60 })).toBe(10 * 90_000 + 30_000);
    expect(methodDeadlineMs("containers.bulk", { action: "pause", ids: ["a"] })).toBe(60_000);
  });
});
