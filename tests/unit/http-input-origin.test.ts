import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { checkRawInput, findNul, jsonDepthExceeds, MAX_DEPTH } from "../../server/http/trpc-input";
import { allowedOriginsFrom, requestOriginDecision } from "../../server/realtime/origin";
import { databaseError, toTRPCError } from "../../server/errors";

const nested = (n: number) => "[".repeat(n) + "]".repeat(n);

describe("JSON depth check (before parsing)", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonDepthExceeds(nested(MAX_DEPTH), MAX_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_DEPTH + 1), MAX_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(`{"a":{"b":[1,{"c":2}]}}`, 3)).toBe(true);
    expect(jsonDepthExceeds(`{"a":{"b":[1,{"c":2}]}}`, 4)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ s: "[[[[[[{{{{{{" }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ s: 'say \\"[[[["' }), 1)).toBe(false);
  });

  it("refuses a 100,000-deep body cheaply, naming the limit", () => {
    const body = `{"0":{"json":${nested(100_000)}}}`;
    const started = performance.now();
    expect(() => checkRawInput(body, true)).toThrow(`request body nested too deep (max ${MAX_DEPTH})`);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("NUL characters", () => {
  it("finds the first string or key holding one", () => {
    expect(findNul({ a: ["x", "y\0"] })).toEqual(["a", 1]);
    expect(findNul({ a: { "k\0": 1 } })).toEqual(["a"]);
    expect(findNul({ a: "fine", b: [1, null, true] })).toBeUndefined();
  });

  it("names the field as the procedure sees it (no batch index, no superjson wrapper)", () => {
    const batch = JSON.stringify({ 0: { json: { spec: { image: "busy\0box" } } } });
    try {
      checkRawInput(batch, true);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe("BAD_REQUEST");
      expect((err as Error).message).toBe("spec.image: must not contain NUL characters");
      expect(((err as TRPCError).cause as { field?: string }).field).toBe("spec.image");
    }
    expect(() => checkRawInput(JSON.stringify({ json: { q: "a\0" } }), false)).toThrow("q: must not contain NUL");
    expect(() => checkRawInput(JSON.stringify({ json: { q: "a\\u0000 is text" } }), false)).not.toThrow();
  });
});

describe("lone surrogates", () => {
  it("are refused with the field named, escaped as JSON carries them", () => {
    const batch = `{"0":{"json":{"id":"berth-fuzz-\\ud800"}}}`;
    try {
      checkRawInput(batch, true);
      expect.unreachable();
    } catch (err) {
      expect((err as TRPCError).code).toBe("BAD_REQUEST");
      expect((err as Error).message).toMatch(/^id: must not contain lone surrogates/);
      expect(((err as TRPCError).cause as { field?: string }).field).toBe("id");
    }
    expect(() => checkRawInput(`{"json":{"action":"\\udfff"}}`, false)).toThrow(/^action: must not contain lone surrogates/);
    expect(() => checkRawInput(`{"json":{"a":{"k\\udc00":1}}}`, false)).toThrow(/^a: must not contain lone surrogates/);
  });

  it("lets pairs through, escaped or not, and escaped backslashes", () => {
    expect(() => checkRawInput(`{"json":{"q":"\\ud83d\\ude00 😀"}}`, false)).not.toThrow();
    expect(() => checkRawInput(`{"json":{"q":"\\\\ud800 is text"}}`, false)).not.toThrow();
  });
});

function req(headers: Record<string, string>, method = "POST"): IncomingMessage {
  return { method, headers: { host: "berth.local:9000", ...headers } } as unknown as IncomingMessage;
}

describe("cross-origin decision for HTTP requests", () => {
  it("allows the dashboard's own origin and listed ones", () => {
    expect(requestOriginDecision(req({ origin: "http://berth.local:9000" }), []).ok).toBe(true);
    expect(requestOriginDecision(req({ origin: "https://berth.local:9000" }), []).ok).toBe(true);
    const listed = allowedOriginsFrom(" https://berth.example.com , ,http://other:1 ");
    expect(listed).toEqual(["https://berth.example.com", "http://other:1"]);
    expect(requestOriginDecision(req({ origin: "https://berth.example.com" }), listed).ok).toBe(true);
  });

  it("allows the origin of NEXTAUTH_URL, the address behind a proxy that rewrites Host", () => {
    const allowed = allowedOriginsFrom("", "https://berth.example.com/some/path");
    expect(allowed).toEqual(["https://berth.example.com"]);
    // The proxy hands the dashboard its own Host; the page's Origin is the public one.
    expect(requestOriginDecision(req({ origin: "https://berth.example.com" }), allowed).ok).toBe(true);
    expect(requestOriginDecision(req({ origin: "https://berth.example.com" }), []).ok).toBe(false);
    expect(allowedOriginsFrom("https://a.example", "https://a.example/")).toEqual(["https://a.example"]);
    expect(allowedOriginsFrom(undefined, "not a url")).toEqual([]);
  });

  it("refuses any other Origin, with a message naming it", () => {
    const d = requestOriginDecision(req({ origin: "http://evil.example" }), []);
    expect(d).toEqual({ ok: false, message: expect.stringContaining('"http://evil.example"') });
    expect(requestOriginDecision(req({ origin: "http://berth.local:9001" }), []).ok).toBe(false);
    expect(requestOriginDecision(req({ origin: "null" }), []).ok).toBe(false);
    expect(requestOriginDecision(req({ origin: "http://evil.example" }, "GET"), []).ok).toBe(false);
  });

  it("without Origin, refuses a browser's cross-site POST and lets non-browser clients through", () => {
    expect(requestOriginDecision(req({ "sec-fetch-site": "cross-site" }), []).ok).toBe(false);
    expect(requestOriginDecision(req({ "sec-fetch-site": "same-origin" }), []).ok).toBe(true);
    expect(requestOriginDecision(req({}), []).ok).toBe(true);
    expect(requestOriginDecision(req({ "sec-fetch-site": "cross-site" }, "GET"), []).ok).toBe(true);
  });
});

describe("database errors", () => {
  // The shape Prisma 6 gives a query that met SQLite's busy timeout through the better-sqlite3 adapter.
  const locked = Object.assign(new Error("Invalid `db.setting.findMany()` invocation in /app/x.ts:4:24 … Operation has timed out"), {
    name: "PrismaClientKnownRequestError",
    code: "P1008",
    meta: { driverAdapterError: { cause: { originalCode: "SQLITE_BUSY", originalMessage: "database is locked", kind: "SocketTimeout" } } },
  });

  it("a locked database is a 503 that says so, without Prisma's text", () => {
    const err = toTRPCError(locked);
    expect(err.code).toBe("SERVICE_UNAVAILABLE");
    expect(err.message).toMatch(/^the database is locked by another process/);
    expect(err.message).not.toContain("invocation");
    // Also when tRPC already wrapped it (e.g. thrown while creating the context).
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: locked.message, cause: locked })).code).toBe("SERVICE_UNAVAILABLE");
  });

  it("other Prisma errors keep their code only", () => {
    const other = Object.assign(new Error("Invalid `x` invocation: secret details"), { name: "PrismaClientKnownRequestError", code: "P2003" });
    expect(databaseError(other)).toEqual({ code: "INTERNAL_SERVER_ERROR", message: "database error (P2003)" });
    expect(databaseError(new Error("plain"))).toBeUndefined();
  });
});
