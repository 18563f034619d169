/**
 * The OpenAPI document is generated from the router: every query and mutation
 * is in it (a new procedure is covered without editing this test), with its
 * method, permission and input schema, and the token security schemes.
 */
import { initTRPC } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "../../server/api/routers/index";
import { permissionTable } from "../../server/api/permissions";
import { openApiDocument, restProcedures } from "../../server/http/openapi";

interface Operation {
  operationId: string;
  "x-berth-permission"?: string;
  security?: unknown[];
  description: string;
  parameters?: { name: string; required?: boolean; schema?: { type?: string } }[];
  requestBody?: { content: { "application/json": { schema: { type?: string; properties?: Record<string, unknown> } } } };
  responses: Record<string, unknown>;
}

const doc = openApiDocument(appRouter, "test");
const paths = doc.paths as Record<string, Record<string, Operation>>;
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: { permission?: string } } }>);

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with bearer and X-API-Key security", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it("has every query as GET and every mutation as POST, with its permission", () => {
    const rest = procedures.filter(([, p]) => p._def.type !== "subscription");
    expect(rest.length).toBeGreaterThan(20);
    for (const [path, proc] of rest) {
      const method = proc._def.type === "query" ? "get" : "post";
      const op = paths[`/${path}`]?.[method];
      expect(op, `${method.toUpperCase()} /${path}`).toBeDefined();
      expect(op!.operationId).toBe(path);
      expect(op!["x-berth-permission"], path).toBe(proc._def.meta?.permission);
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "409"]));
    }
    expect(Object.keys(paths)).toHaveLength(rest.length);
    console.log(`OpenAPI document: ${rest.length} procedures`);
  });

  it("names an engine procedure's env as a required query parameter, merged with its own fields", () => {
    const list = paths["/containers.list"]!.get!;
    expect(list.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "env", required: true })]));
    expect(list.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "input" })]));
    const stop = paths["/containers.stop"]!.post!;
    const props = stop.requestBody!.content["application/json"].schema.properties!;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(["env", "id"]));
  });

  it("says which procedures no token may use, and that public ones need no credential", () => {
    expect(paths["/apiTokens.create"]!.post!.description).toMatch(/Not available with an API token/);
    expect(paths["/ws.ticket"]!.post!.description).toMatch(/Not available with an API token/);
    expect(paths["/containers.list"]!.get!.description).not.toMatch(/Not available/);
    for (const [path, methods] of Object.entries(paths)) {
      for (const op of Object.values(methods)) {
        const permission = op["x-berth-permission"] as keyof typeof permissionTable;
        expect(op.security !== undefined, path).toBe(permissionTable[permission].rule.scope === "public");
      }
    }
  });

  it("is plain JSON (no schema the generator could not represent breaks it)", () => {
    expect(() => JSON.parse(JSON.stringify(doc))).not.toThrow();
  });
});

describe("restProcedures", () => {
  const t = initTRPC.meta<{ permission: string }>().create();
  const router = t.router({
    a: t.router({ read: t.procedure.meta({ permission: "container.list" }).input(z.object({ env: z.string() }).and(z.object({ all: z.boolean().optional() }))).query(() => 1) }),
    b: t.procedure.input(z.object({ n: z.number() })).input(z.object({ s: z.string() })).mutation(() => 2),
    c: t.procedure.query(() => 3),
  });
  it("lists nested procedures by dotted path, merging intersections and chained inputs into one object", () => {
    const byPath = Object.fromEntries(restProcedures(router).map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(["a.read", "b", "c"]);
    expect(byPath["a.read"]).toMatchObject({ type: "query", permission: "container.list", input: { type: "object", required: ["env"] } });
    expect(Object.keys(byPath["a.read"]!.input.properties!)).toEqual(["env", "all"]);
    expect(byPath.b!.type).toBe("mutation");
    expect(Object.keys(byPath.b!.input.properties!)).toEqual(["n", "s"]);
    expect(byPath.c!.input).toEqual({});
  });
});
