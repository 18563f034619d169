import { describe, expect, it } from "vitest";
import { findContainer, resolveContainerRef } from "~/runtime/protocol/container-ref";

const ID_A = `abc123${"0".repeat(58)}`;
const ID_B = `abc456${"1".repeat(58)}`;
const ID_C = `def789${"2".repeat(58)}`;
const list = [
  { id: ID_A, name: "web" },
  { id: ID_B, name: "db" },
  // A name made of hex digits, the start of another container's id.
  { id: ID_C, name: "abc4" },
];

describe("resolveContainerRef: Docker's order, the same everywhere", () => {
  it("takes a full id", () => {
    expect(resolveContainerRef(ID_B, list)).toEqual({ ok: true, container: list[1] });
  });
  it("takes an exact name, with or without Docker's leading slash", () => {
    expect(resolveContainerRef("web", list)).toEqual({ ok: true, container: list[0] });
    expect(resolveContainerRef("/db", list)).toEqual({ ok: true, container: list[1] });
  });
  it("takes a prefix only one id has, however short", () => {
    expect(resolveContainerRef("d", list)).toEqual({ ok: true, container: list[2] });
    expect(resolveContainerRef("abc1", list)).toEqual({ ok: true, container: list[0] });
  });
  it("prefers a name that looks like an id prefix to the container whose id starts with it", () => {
    expect(resolveContainerRef("abc4", list)).toEqual({ ok: true, container: list[2] });
    expect(resolveContainerRef("abc45", list)).toEqual({ ok: true, container: list[1] });
  });
  it("prefers a full id to a container named like it", () => {
    const twisted = [{ id: "f".repeat(64), name: "x1" }, { id: "e".repeat(64), name: "f".repeat(64) }];
    expect(findContainer("f".repeat(64), twisted)).toBe(twisted[0]);
  });
  it("refuses a prefix several ids share, naming the reference", () => {
    const r = resolveContainerRef("abc", list);
    expect(r).toEqual({ ok: false, reason: "ambiguous", message: expect.stringContaining('"abc"') });
    expect(!r.ok && r.message).toMatch(/the ids of 2 containers start with it/);
    expect(findContainer("abc", list)).toBeUndefined();
  });
  it("says which reference matched nothing", () => {
    expect(resolveContainerRef("nope", list)).toEqual({ ok: false, reason: "not-found", message: 'no such container: "nope"' });
    expect(resolveContainerRef("", list)).toMatchObject({ ok: false, reason: "not-found" });
    expect(resolveContainerRef("web", [])).toMatchObject({ ok: false, reason: "not-found" });
  });
  it("matches ids case-sensitively, as the engine does", () => {
    expect(findContainer("ABC1", list)).toBeUndefined();
  });
  it("knows a name by every id it has had (recorded logs), and a prefix of two of them is not ambiguous", () => {
    const recorded = [
      { id: "ab12", ids: ["ab11", "ab12"], name: "web" },
      { id: "cd34", ids: ["cd34"], name: "ab1x" },
    ];
    expect(findContainer("ab11", recorded)).toBe(recorded[0]);
    expect(findContainer("ab1", recorded)).toBe(recorded[0]);
    expect(findContainer("ab1x", recorded)).toBe(recorded[1]);
    expect(resolveContainerRef("", recorded)).toMatchObject({ ok: false, reason: "not-found" });
  });
});
