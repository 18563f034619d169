/**
 * The events view's filters (runtime/events/filter.ts) and params
 * (runtime/events/protocol.ts): docker-events rules as plain comparisons, and
 * every bad param refused naming its field.
 */
import { describe, expect, it } from "vitest";
import type { DockerEvent } from "../../runtime/engine/protocol";
import { eventMatcher } from "../../runtime/events/filter";
import { eventsParamsSchema, sinceMs } from "../../runtime/events/protocol";
import { firstIssue } from "../../runtime/protocol/zod-issues";

const ID = "4f".padEnd(64, "a");
const ev = (over: Partial<DockerEvent>): DockerEvent => ({
  type: "container",
  action: "start",
  id: ID,
  name: "web",
  attributes: { name: "web", image: "nginx", "com.example.tier": "front" },
  timeNano: "1764500000123456789",
  ...over,
});
const match = (params: unknown, e: DockerEvent) => eventMatcher(eventsParamsSchema.parse(params))(e);

describe("event filters", () => {
  it("no filter matches everything; each field narrows; values of a field are alternatives", () => {
    expect(match({}, ev({}))).toBe(true);
    expect(match({ type: "container" }, ev({}))).toBe(true);
    expect(match({ type: ["image", "volume"] }, ev({}))).toBe(false);
    expect(match({ type: ["image", "container"] }, ev({}))).toBe(true);
    expect(match({ action: ["stop", "start"] }, ev({}))).toBe(true);
    expect(match({ action: "stop" }, ev({}))).toBe(false);
    expect(match({ type: "container", action: "stop" }, ev({}))).toBe(false);
  });

  it("an action matches with or without its detail after ':'", () => {
    expect(match({ action: "exec_start" }, ev({ action: "exec_start: sh -c true" }))).toBe(true);
    expect(match({ action: "health_status: healthy" }, ev({ action: "health_status: healthy" }))).toBe(true);
    expect(match({ action: "exec" }, ev({ action: "exec_start: sh" }))).toBe(false);
  });

  it("object: full id, an id start of 3+ hex characters, or the name", () => {
    expect(match({ object: ID }, ev({}))).toBe(true);
    expect(match({ object: "4fa" }, ev({}))).toBe(true);
    expect(match({ object: "4f" }, ev({}))).toBe(false);
    expect(match({ object: "web" }, ev({}))).toBe(true);
    expect(match({ object: "/web" }, ev({}))).toBe(true);
    expect(match({ object: "we" }, ev({}))).toBe(false);
    expect(match({ object: "busybox" }, ev({ type: "image", action: "pull", id: "busybox:latest", name: "busybox", attributes: { name: "busybox" } }))).toBe(true);
    expect(match({ object: "busy" }, ev({ type: "image", action: "pull", id: "busybox:latest", name: "busybox", attributes: { name: "busybox" } }))).toBe(false);
  });

  it("label: key present, or key=value exactly", () => {
    expect(match({ label: "com.example.tier" }, ev({}))).toBe(true);
    expect(match({ label: "com.example.tier=front" }, ev({}))).toBe(true);
    expect(match({ label: "com.example.tier=back" }, ev({}))).toBe(false);
    expect(match({ label: "com.example.tier=fr" }, ev({}))).toBe(false);
    expect(match({ label: "other" }, ev({}))).toBe(false);
    // Only own keys: "constructor" is not an attribute of every event.
    expect(match({ label: "constructor" }, ev({}))).toBe(false);
  });

  it("user text is never a pattern", () => {
    expect(match({ object: ".*" }, ev({}))).toBe(false);
    expect(match({ action: "st.rt" }, ev({}))).toBe(false);
  });
});

describe("event params", () => {
  const refused = (params: unknown) => {
    const r = eventsParamsSchema.safeParse(params);
    if (r.success) throw new Error(`accepted ${JSON.stringify(params)}`);
    return firstIssue(r.error);
  };

  it("each bad param names its field", () => {
    expect(refused({ type: "bogus" }).field).toBe("type[0]");
    expect(refused({ type: [] }).field).toBe("type");
    expect(refused({ action: "x".repeat(65) }).field).toBe("action[0]");
    expect(refused({ object: "a\u0000b" })).toEqual({ field: "object[0]", message: "object[0]: must not contain control characters" });
    expect(refused({ label: Array.from({ length: 21 }, () => "k") }).field).toBe("label");
    expect(refused({ since: "next tuesday" }).field).toBe("since");
    expect(refused({ since: Date.now() / 1000 + 3600 }).message).toBe("since: must not be in the future");
    expect(refused({ since: -1 }).field).toBe("since");
    expect(refused({ since: { $gt: 0 } }).field).toBe("since");
    expect(refused({ nope: 1 }).message).toContain("nope");
  });

  it("since: Unix seconds (number or digits) or ISO; kept as given so the runtime can check it again", () => {
    expect(sinceMs(1_700_000_000.5)).toBe(1_700_000_000_500);
    expect(sinceMs("1700000000.25")).toBe(1_700_000_000_250);
    expect(sinceMs("2023-11-14T22:13:20Z")).toBe(1_700_000_000_000);
    expect(sinceMs("soon")).toBeUndefined();
    const parsed = eventsParamsSchema.parse({ since: "1700000000", type: "image" });
    expect(parsed).toEqual({ since: "1700000000", type: ["image"] });
    expect(eventsParamsSchema.parse(parsed)).toEqual(parsed);
  });
});
