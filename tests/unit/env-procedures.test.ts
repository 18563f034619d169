/**
 * Every procedure that touches an engine takes `env`, and resolves it before it
 * does anything: a missing or malformed one is a 400 naming `env`, an unknown
 * one NOT_FOUND naming `env`. (The calls through a real engine are e2e: 17-environments.)
 */
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/routers/index";
import { createCallerFactory, envIdSchema } from "../../server/api/trpc";
import { jsonSchemaOf } from "../support/fuzz-schema";

interface ProcDef {
  _def: { type: string; inputs?: import("zod").ZodType[] };
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcDef>);
/** Routers whose procedures reach an engine: everything else (setup, session, ws, audit, environments) is the dashboard's own. */
const ENGINE_ROUTERS = ["containers.", "containerCreate.", "engine.", "logs.", "stats."];
const engineProcedures = procedures.filter(([path]) => ENGINE_ROUTERS.some((r) => path.startsWith(r)));

const caller = createCallerFactory(appRouter)({
  user: { id: "u1", username: "admin", role: "admin", sid: "s1" } as never,
  sourceIp: "127.0.0.1",
  audit: {},
});

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (err) {
    return err as TRPCError;
  }
  throw new Error("the call succeeded");
}

describe("env in every engine procedure", () => {
  it("finds them", () => {
    expect(engineProcedures.length).toBeGreaterThan(20);
  });

  it.each(engineProcedures.map(([path, p]) => [path, p] as const))("%s requires env", (_path, p) => {
    const input = p._def.inputs?.[0];
    expect(input, "no input").toBeTruthy();
    expect(jsonSchemaOf(input!).required).toContain("env");
    const missing = input!.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path.join("."))).toContain("env");
  });

  it.each(["containers.list", "engine.status", "logs.historyStatus", "containerCreate.options"])("%s: an unknown env is NOT_FOUND naming env", async (path) => {
    const [router, name] = path.split(".") as [string, string];
    const call = (caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[router]![name]!;
    const err = await errorOf(call({ env: "no-such-env" }));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toBe('env: environment "no-such-env" not found');
    expect((err.cause as { field?: string }).field).toBe("env");
  });

  it("an unknown env is refused before the rest of the input is used", async () => {
    const err = await errorOf(caller.containers.inspect({ env: "elsewhere", id: "abc" }));
    expect(err.code).toBe("NOT_FOUND");
  });

  it("a malformed env is a 400 whose first issue is env", async () => {
    for (const env of ["", "Local", "-x", "a/b", "x".repeat(65), "local\u0000"]) {
      const err = await errorOf(caller.containers.inspect({ env, id: "abc" }));
      expect(err.code, JSON.stringify(env)).toBe("BAD_REQUEST");
      const issues = (err.cause as import("zod").ZodError).issues;
      expect(issues[0]!.path).toEqual(["env"]);
    }
  });

  it("the env schema takes slugs", () => {
    for (const ok of ["local", "prod-1", "a", "edge_2", "x".repeat(64)]) expect(envIdSchema.safeParse(ok).success, ok).toBe(true);
  });
});
