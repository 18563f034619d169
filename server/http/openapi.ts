/**
 * The REST API's map and its OpenAPI 3.1 document, generated from the tRPC
 * router itself: every query is `GET /api/v1/<router>.<procedure>` (input in
 * query parameters, or whole as JSON in `?input=`), every mutation is
 * `POST /api/v1/<router>.<procedure>` with a JSON body. A new procedure is in
 * the API and the document without editing either; the schemas are the
 * procedures' own zod inputs (zod 4's `toJSONSchema`).
 *
 * trpc-to-openapi was not used: it only exposes procedures that carry an
 * `openapi` path in their meta (an edit to every procedure), answers through a
 * handler of its own rather than the router's caller, and adds h3/co-body.
 */
import type { AnyRouter } from "@trpc/server";
import { z } from "zod";
import { permissionTable, type Permission } from "../api/permissions";
import { SESSION_ONLY } from "../auth/api-token";

export const REST_PREFIX = "/api/v1/";
export const OPENAPI_PATH = `${REST_PREFIX}openapi.json`;

export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  allOf?: JsonSchema[];
};

export interface RestProcedure {
  /** `containers.list`: the tRPC path, and the REST path after /api/v1/. */
  path: string;
  type: "query" | "mutation";
  permission?: Permission;
  input: JsonSchema;
}

interface ProcDef {
  _def: { type: string; inputs?: unknown[]; meta?: { permission?: Permission } };
}

/** A zod input as JSON Schema (as the caller sends it: `io: "input"`); anything else is "any value". */
function inputSchema(parser: unknown): JsonSchema {
  if (!(parser instanceof z.ZodType)) return {};
  try {
    const { $schema: _s, ...schema } = z.toJSONSchema(parser, { io: "input", unrepresentable: "any", reused: "inline" }) as JsonSchema;
    return schema;
  } catch {
    return {};
  }
}

/** An intersection of object schemas (`{ env }` & a method's own) as one object, so each field is a named parameter. */
export function mergeObjects(s: JsonSchema): JsonSchema {
  const parts = s.allOf?.map(mergeObjects);
  if (!parts?.length || !parts.every((p) => p.type === "object" && p.properties)) return s;
  const { allOf: _parts, ...rest } = s;
  return {
    ...rest,
    type: "object",
    properties: Object.assign({}, ...parts.map((p) => p.properties)),
    required: [...new Set(parts.flatMap((p) => p.required ?? []))],
  };
}

/** Every query and mutation of the router, in the router's order (subscriptions have no REST form). */
export function restProcedures(router: AnyRouter): RestProcedure[] {
  const out: RestProcedure[] = [];
  for (const [path, proc] of Object.entries(router._def.procedures as Record<string, ProcDef>)) {
    const { type, inputs = [], meta } = proc._def;
    if (type !== "query" && type !== "mutation") continue;
    const schemas = inputs.map(inputSchema);
    const input = schemas.length === 0 ? {} : schemas.length === 1 ? schemas[0]! : { allOf: schemas };
    out.push({ path, type, permission: meta?.permission, input: mergeObjects(input) });
  }
  return out;
}

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

const ERRORS = {
  "400": errorResponse("Bad input: the message and `field` name what is wrong"),
  "401": errorResponse("No valid API token or session"),
  "403": errorResponse("The user's role does not allow this, or an API token may not do it"),
  "404": errorResponse("The object (or the environment) does not exist"),
  "409": errorResponse("Conflicts with the current state (e.g. a name in use)"),
  "429": errorResponse("Too many bad API tokens from this address: see Retry-After"),
};

function describe(p: RestProcedure): string {
  const lines = [p.permission ? `${permissionTable[p.permission].description}. Permission: \`${p.permission}\`.` : "No permission declared."];
  if (p.permission && SESSION_ONLY.has(p.permission)) lines.push("Not available with an API token: only a signed-in session may do this.");
  if (p.type === "query") lines.push("The input may also be sent whole as JSON in `?input=`, or as a JSON body with POST.");
  return lines.join("\n\n");
}

/** Query parameters: one per top-level field (objects and arrays as JSON text), and `input` for the whole input as JSON. */
function queryParameters(input: JsonSchema) {
  const required = new Set(input.required ?? []);
  const fields = Object.entries(input.properties ?? {}).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema,
    ...(schema.type === "object" || schema.type === "array" ? { description: "as JSON text" } : {}),
  }));
  return [...fields, { name: "input", in: "query", required: false, description: "The whole input as JSON (instead of one parameter per field)", content: { "application/json": { schema: input } } }];
}

export function openApiDocument(router: AnyRouter, version: string) {
  const paths: Record<string, unknown> = {};
  for (const p of restProcedures(router)) {
    const isPublic = p.permission ? permissionTable[p.permission].rule.scope === "public" : false;
    const operation = {
      operationId: p.path,
      tags: [p.path.split(".")[0]],
      summary: p.permission ? permissionTable[p.permission].description : p.path,
      description: describe(p),
      "x-berth-permission": p.permission,
      ...(isPublic ? { security: [] } : {}),
      ...(p.type === "query"
        ? { parameters: queryParameters(p.input) }
        : { requestBody: { required: p.input.type === "object" && !!p.input.required?.length, content: { "application/json": { schema: p.input } } } }),
      responses: { "200": { description: "The procedure's result, as JSON", content: { "application/json": { schema: {} } } }, ...ERRORS },
    };
    paths[`/${p.path}`] = { [p.type === "query" ? "get" : "post"]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Berth API",
      version,
      description:
        "Every procedure of the dashboard, under the same permissions and audit as the pages. Authenticate with an API token " +
        "(Account → API tokens) as `Authorization: Bearer <token>` or `X-API-Key: <token>`. Errors answer " +
        "`{ error: { code, message, field? } }` with the matching HTTP status.",
    },
    servers: [{ url: REST_PREFIX.replace(/\/$/, "") }],
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token: berth_…" },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "An API token: berth_…" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", examples: ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT"] },
                message: { type: "string" },
                field: { type: "string", description: "The input field at fault, when one is" },
                berthCode: { type: "string", description: "Berth's own error code (e.g. ENGINE_UNREACHABLE)" },
              },
            },
          },
        },
      },
    },
    paths,
  };
}
