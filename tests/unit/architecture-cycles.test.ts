/**
 * No module of app/, server/ or runtime/ imports itself through others: the same
 * check as `npm run lint` (madge), through madge's API, and proof on a fixture
 * that it does find a cycle.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

interface MadgeResult {
  obj(): Record<string, string[]>;
  circular(): string[][];
  warnings(): { skipped: string[] };
}
type Madge = (paths: string[], config: { baseDir: string; fileExtensions: string[]; tsConfig?: string }) => Promise<MadgeResult>;

// madge ships no type declarations.
const madge = createRequire(import.meta.url)("madge") as Madge;
const root = path.resolve(import.meta.dirname, "../..");
const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

describe("import cycles", () => {
  it("app, server and runtime have none", async () => {
    const result = await madge(["app", "server", "runtime"], { baseDir: root, fileExtensions: ["ts", "tsx"], tsConfig: path.join(root, "tsconfig.json") });
    const files = Object.keys(result.obj());
    // The whole tree was read, aliases (`~/…`) included: nothing unresolved escaped the check.
    expect(files).toEqual(expect.arrayContaining(["runtime/main.ts", "server/main.ts", "runtime/protocol/index.ts", "runtime/logs/protocol.ts"]));
    expect(files.some((f) => f.endsWith(".tsx"))).toBe(true);
    expect(result.warnings().skipped).toEqual([]);
    const cycles = result.circular().map((cycle) => cycle.join(" > "));
    expect(cycles, `import cycles:\n${cycles.join("\n")}`).toEqual([]);
  }, 120_000);

  it("the check finds a two-file cycle, and one made of type-only imports", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-cycle-"));
    temp.push(dir);
    const files: Record<string, string> = {
      "a.ts": 'import { b } from "./b";\nexport const a = (): number => b() + 1;\n',
      "b.ts": 'import { a } from "./a";\nexport const b = (): number => 1;\nexport const twice = (): number => a() * 2;\n',
      "c.ts": 'import type { D } from "./d";\nexport type C = D | string;\n',
      "d.ts": 'import type { C } from "./c";\nexport type D = { c?: C };\n',
      "e.ts": 'import { a } from "./a";\nimport type { C } from "./c";\nexport const e = (c: C): string => `${a()} ${String(c)}`;\n',
    };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const result = await madge([dir], { baseDir: dir, fileExtensions: ["ts"] });
    expect(Object.keys(result.obj()).sort()).toEqual(Object.keys(files));
    expect(result.circular()).toEqual([["a.ts", "b.ts"], ["c.ts", "d.ts"]]);
  }, 60_000);
});
