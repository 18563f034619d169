import { describe, expect, it } from "vitest";
import { bulkItemText } from "~/runtime/protocol/action-result";
import { changedUnlessNotModified, isNotModified } from "~/runtime/engine/not-modified";

/** An error shaped as docker-modem rejects with. */
const engineError = (statusCode: number) => Object.assign(new Error(`HTTP code ${statusCode}`), { statusCode });

describe("304 → unchanged", () => {
  it("reads only the engine's 304 as already so", () => {
    expect(isNotModified(engineError(304))).toBe(true);
    expect(isNotModified(engineError(404))).toBe(false);
    expect(isNotModified({ statusCode: "304" })).toBe(false);
    expect(isNotModified(null)).toBe(false);
    expect(isNotModified(undefined)).toBe(false);
  });
  it("answers changed, unchanged, or passes the failure on", async () => {
    await expect(changedUnlessNotModified(async () => undefined)).resolves.toBe(true);
    await expect(changedUnlessNotModified(() => Promise.reject(engineError(304)))).resolves.toBe(false);
    const gone = engineError(404);
    await expect(changedUnlessNotModified(() => Promise.reject(gone))).rejects.toBe(gone);
  });
});

describe("one action result", () => {
  it("says what happened to each container of a bulk action", () => {
    expect(bulkItemText({ id: "a", ok: true, changed: true })).toBe("ok");
    expect(bulkItemText({ id: "a", ok: true, changed: false })).toBe("already so");
    expect(bulkItemText({ id: "a", ok: false, error: "no such container: a", code: "NOT_FOUND" })).toBe("no such container: a");
  });
});
