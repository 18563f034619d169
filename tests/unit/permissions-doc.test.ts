/** README.md publishes the permission table exactly as server/api/permissions.ts defines it. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DOC_END, DOC_START, renderPermissionTable, withPermissionTable } from "../../server/api/permission-doc";
import { permissionTable } from "../../server/api/permissions";

const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

describe("the README's permission table", () => {
  it("is what the code generates (run `npx tsx server/bin/permissions-doc.ts` after changing permissions.ts)", () => {
    expect(readme).toContain(DOC_START);
    expect(readme).toContain(DOC_END);
    expect(withPermissionTable(readme)).toBe(readme);
  });

  it("has one row per permission, with a cell per role", () => {
    const rows = renderPermissionTable()
      .split("\n")
      .filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(Object.keys(permissionTable).length);
    for (const r of rows) expect(r.split(" | ")).toHaveLength(8);
  });

  it("says what the table says for a few known rules", () => {
    const row = (p: string) => renderPermissionTable().split("\n").find((l) => l.startsWith(`| \`${p}\` |`))!;
    expect(row("user.manage")).toMatch(/\| ✓ \| — \| — \| — \| — \| — \|$/);
    expect(row("container.create")).toMatch(/\| ✓ \| ✓ \| — \| — \| ✓ \| — \|$/);
    expect(row("container.logs")).toMatch(/\| ✓ \| ✓ \| ✓ \| ✓ \| own \| own \|$/);
  });

  it("a stale table is caught", () => {
    const stale = readme.replace("| `user.manage` |", "| `user.manage-old` |");
    expect(withPermissionTable(stale)).not.toBe(stale);
  });
});
