import { describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/routers/index";
import { permissions, publicPermissions } from "../../server/api/permissions";

interface ProcDef {
  _def: { meta?: { permission?: string }; type: string };
}

describe("every procedure declares a permission", () => {
  const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcDef>);

  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThan(5);
  });

  it.each(procedures.map(([path, p]) => [path, p] as const))("%s", (_path, proc) => {
    const permission = proc._def.meta?.permission;
    expect(permission, "procedure without a permission").toBeTruthy();
    expect(Object.keys(permissions)).toContain(permission);
  });

  it("no mutation except setup is public", () => {
    const publicMutations = procedures
      .filter(([, p]) => p._def.type === "mutation" && publicPermissions.has(p._def.meta!.permission as never))
      .map(([path]) => path);
    expect(publicMutations).toEqual(["setup.createAdmin"]);
  });
});
