import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { ContainerStore, safeName } from "../../runtime/logs/history/store";

const roots: string[] = [];
const tmpRoot = () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "berth-history-"));
  roots.push(parent);
  const root = path.join(parent, "history");
  fs.mkdirSync(root);
  return root;
};
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe("history folder names", () => {
  test("a name Docker accepts is its own folder", () => {
    for (const name of ["web", "berth-e2e_1", "a.b", "x".repeat(200), "9lives"]) expect(safeName(name)).toBe(name);
  });

  test("a name that could leave the history folder, or is not a Docker name, gets a folder of its own", () => {
    const odd = [".", "..", "../x", "a/b", "a/../../b", "", "_", "a b", "a_b\u0000", "x".repeat(201), ".hidden", "-x", "\u00e9t\u00e9"];
    const folders = odd.map(safeName);
    for (const [i, f] of folders.entries()) {
      expect(f, JSON.stringify(odd[i])).toMatch(/^_[a-zA-Z0-9_-]*-[0-9a-f]{16}$/);
      expect(f.length).toBeLessThanOrEqual(78);
    }
    expect(new Set(folders).size).toBe(odd.length);
    expect(safeName("..")).toBe(safeName(".."));
  });

  test("a container named .. is stored inside the history folder and found again there", async () => {
    const root = tmpRoot();
    for (const name of ["..", ".", "../escape", "a/b"]) {
      const store = new ContainerStore(root, name);
      expect(path.dirname(store.dir)).toBe(root);
      await store.append("2026-01-01T00:00:00.000000000Z\t0\tline\n", 1, "2026-01-01T00:00:00.000000000Z", "2026-01-01T00:00:00.000000000Z", 1);
    }
    expect(fs.readdirSync(path.dirname(root))).toEqual(["history"]);
    const found = fs.readdirSync(root).map((d) => new ContainerStore(root, d, d).index.container);
    expect(found.sort()).toEqual(["..", ".", "../escape", "a/b"].sort());
    const lines: string[] = [];
    await new ContainerStore(root, "..").scan(undefined, undefined, (_ts, _s, text) => lines.push(text));
    expect(lines).toEqual(["line"]);
  });
});
