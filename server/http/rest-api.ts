/**
 * The REST API (`/api/v1/<router>.<procedure>`) and its OpenAPI document
 * (`/api/v1/openapi.json`). Each call is made through the router's own caller
 * with the context tRPC builds (server/api/trpc.ts `createContext`): the same
 * permission check, ownership, audit row and error mapping as the pages'
 * calls, and no second path to any of it. Inputs get tRPC's checks too
 * (size, URL length, nesting, NUL characters: ./trpc-input.ts).
 *
 * Cross-site requests: a call that carries an API token and no cookie cannot
 * be a forged browser request (a page cannot make a browser send a header it
 * does not have), so it skips the Origin check; any call with a cookie gets it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { appRouter } from "../api/routers/index";
import { createCallerFactory, createContext } from "../api/trpc";
import { tokenAuth } from "../auth/api-token";
import { credentialOf } from "../auth/token-format";
import { toTRPCError } from "../errors";
import { allowedOriginsFrom, requestOriginDecision } from "../realtime/origin";
import { OPENAPI_PATH, openApiDocument, REST_PREFIX, restProcedures, type RestProcedure } from "./openapi";
import { checkRawInput, inputError, MAX_URL_LENGTH, readCappedBody } from "./trpc-input";

export { REST_PREFIX };

const allowedOrigins = allowedOriginsFrom(process.env.BERTH_ALLOWED_ORIGINS, process.env.NEXTAUTH_URL);
const createCaller = createCallerFactory(appRouter);
const byPath = new Map<string, RestProcedure>(restProcedures(appRouter).map((p) => [p.path, p]));
let documentText: string | undefined;

type Discard = (req: IncomingMessage) => void;

/** What the handler answers with instead of a result. */
class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** JSON that survives what procedures return: Dates as ISO text (toJSON), bigints as text, Maps and Sets as objects and arrays. */
function toJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Map) return Object.fromEntries(v);
    if (v instanceof Set) return [...v];
    return v;
  });
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = toJson(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers });
  res.end(req.method === "HEAD" ? undefined : text);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RestError(400, "BAD_REQUEST", `${what} is not valid JSON`);
  }
}

/**
 * A query's input from its URL: `?input=<JSON>` whole, or one parameter per
 * field. A field whose schema is text stays text (`?name=123` is "123"); any
 * other is read as JSON when it parses (`?all=true`, `?tail=100`, `?ids=["a"]`).
 */
function queryInput(url: URL, proc: RestProcedure): unknown {
  const whole = url.searchParams.get("input");
  if (whole !== null) {
    checkRawInput(whole, false);
    return parseJson(whole, "the input parameter");
  }
  const keys = [...new Set(url.searchParams.keys())];
  if (keys.length === 0) return undefined;
  const props = proc.input.properties ?? {};
  // Own properties only (defineProperty semantics): `?__proto__=…` is a field named so, never the object's prototype.
  const entries: [string, unknown][] = [];
  for (const key of keys) {
    const values = url.searchParams.getAll(key);
    if (values.length > 1) throw new RestError(400, "BAD_REQUEST", `${key}: given ${values.length} times; give it once (a list as JSON, e.g. ["a","b"])`, { field: key });
    const raw = values[0]!;
    if (raw.includes("\0")) throw new RestError(400, "BAD_REQUEST", `${key}: must not contain NUL characters`, { field: key });
    const type = props[key]?.type;
    const textual = type === "string" || (Array.isArray(type) && type.includes("string"));
    let value: unknown = raw;
    if (!textual) {
      try {
        value = JSON.parse(raw);
      } catch {
        // not JSON: the text itself, for the schema to judge
      }
    }
    entries.push([key, value]);
  }
  const out = Object.fromEntries(entries);
  checkRawInput(JSON.stringify(out), false);
  return out;
}

const isJson = (type: string | undefined) => type?.split(";", 1)[0]!.trim().toLowerCase() === "application/json";

async function bodyInput(req: IncomingMessage, discard: Discard): Promise<unknown> {
  const declared = req.headers["content-length"];
  const hasBody = !!req.headers["transfer-encoding"] || (declared !== undefined && declared !== "0");
  if (!hasBody) return undefined;
  // A cross-site HTML form can only send urlencoded, multipart or text/plain bodies.
  if (!isJson(req.headers["content-type"])) {
    discard(req);
    throw new RestError(415, "UNSUPPORTED_MEDIA_TYPE", "send the input as a JSON body (Content-Type: application/json)");
  }
  let text: string;
  try {
    text = await readCappedBody(req);
  } catch (err) {
    discard(req);
    throw err;
  }
  if (!text.trim()) return undefined;
  checkRawInput(text, false);
  return parseJson(text, "the request body");
}

/** Answers the error of a failed call: status from the tRPC code, body from the router's own error formatter (field named). */
function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, path?: string, input?: unknown) {
  if (err instanceof RestError) return send(req, res, err.status, { error: { code: err.code, message: err.message, ...err.extra } }, err.headers);
  const error = toTRPCError(err);
  const shape = getErrorShape({ config: appRouter._def._config, error, type: "unknown", path, input, ctx: undefined }) as {
    message: string;
    data: { code: string; field?: string; berthCode?: string; containerId?: string; created?: boolean };
  };
  const { code, field, berthCode, containerId, created } = shape.data;
  if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[rest] ${path ?? "?"}:`, error.cause ?? error);
  send(req, res, getHTTPStatusCodeFromError(error), { error: { code, message: shape.message, field, berthCode, containerId, created } });
}

export async function handleRestRequest(req: IncomingMessage, res: ServerResponse, discard: Discard): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.slice(REST_PREFIX.length);
  let input: unknown;
  try {
    if (url.pathname === OPENAPI_PATH) {
      discard(req);
      if (req.method !== "GET" && req.method !== "HEAD") throw new RestError(405, "METHOD_NOT_SUPPORTED", "use GET", {}, { Allow: "GET, HEAD" });
      documentText ??= toJson(openApiDocument(appRouter, process.env.npm_package_version ?? "0.1.0"));
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
      return void res.end(req.method === "HEAD" ? undefined : documentText);
    }
    const proc = byPath.get(path);
    if (!proc) {
      discard(req);
      throw new RestError(404, "NOT_FOUND", `no API procedure ${JSON.stringify(path.slice(0, 100))}: the list is at ${OPENAPI_PATH}`);
    }
    const allowed = proc.type === "query" ? ["GET", "HEAD", "POST"] : ["POST"];
    if (!allowed.includes(req.method ?? "")) {
      discard(req);
      throw new RestError(405, "METHOD_NOT_SUPPORTED", `${proc.path} is a ${proc.type}: use ${allowed.join(" or ")}`, {}, { Allow: allowed.join(", ") });
    }
    const credential = credentialOf(req.headers);
    if (!(credential && !req.headers.cookie)) {
      const origin = requestOriginDecision(req, allowedOrigins);
      if (!origin.ok) {
        discard(req);
        throw new RestError(403, "FORBIDDEN", origin.message);
      }
    }
    if ((req.url ?? "").length > MAX_URL_LENGTH) {
      discard(req);
      throw inputError("PAYLOAD_TOO_LARGE", `request URL too long (max ${MAX_URL_LENGTH} bytes): send large inputs in a POST body`);
    }
    input = req.method === "POST" ? await bodyInput(req, discard) : (discard(req), queryInput(url, proc));
    // Nothing given for an object input is an empty object: the error then names the missing field, not "expected object".
    if (input === undefined && proc.input.type === "object") input = {};

    const ctx = await createContext({ req });
    if (credential && !ctx.user) {
      const auth = await tokenAuth(req);
      if (auth.kind === "throttled") throw new RestError(429, "TOO_MANY_REQUESTS", auth.message, {}, { "Retry-After": String(auth.retryAfterSeconds) });
      if (auth.kind === "refused") throw new RestError(401, "UNAUTHORIZED", auth.message);
    }
    const call = proc.path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (i: unknown) => Promise<unknown>;
    send(req, res, 200, await call(input));
  } catch (err) {
    sendError(req, res, err, path, input);
  }
}
