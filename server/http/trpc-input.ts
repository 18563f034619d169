/**
 * Checks on a tRPC request's raw input before tRPC parses it: the body is read
 * here with a cap (so an oversized one is never held in memory), nesting depth
 * is counted on the text (a 100,000-deep document overflows the stack of the
 * recursive parsers and validators behind it), and strings with NUL characters
 * or lone surrogates are refused with the field named (no procedure has a use
 * for them; NULs break the engine's HTTP requests and SQLite text, lone
 * surrogates Prisma's queries).
 */
import type { IncomingMessage } from "node:http";
import { TRPCError } from "@trpc/server";
import { BerthError } from "../errors";
import { isWellFormed } from "../audit-bounds";

export const MAX_BODY_BYTES = 1024 * 1024;
/** Query inputs travel in the URL; Node refuses a whole head over 16 KB anyway. */
export const MAX_URL_LENGTH = 8 * 1024;
export const MAX_DEPTH = 64;
/** Procedures in one batched call (the pages send a handful). */
export const MAX_BATCH = 50;

export function inputError(code: "BAD_REQUEST" | "PAYLOAD_TOO_LARGE", message: string, field?: string): TRPCError {
  return new TRPCError({ code, message, cause: field ? new BerthError("BAD_REQUEST", message, { field }) : undefined });
}

/**
 * The deepest nesting of arrays and objects in a JSON text, counted without
 * parsing; stops counting as soon as `max` is passed.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The path of the first string (or key) for which `bad` holds, or undefined. */
export function findString(value: unknown, bad: (s: string) => boolean, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === "string") return bad(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findString(value[i], bad, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (bad(k)) return path;
      const found = findString(v, bad, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The path of the first string (or key) holding a NUL character, or undefined. */
export const findNul = (value: unknown) => findString(value, (s) => s.includes("\0"));

/** The field a procedure sees: without the batch index and superjson's `json` wrapper. */
function fieldName(path: (string | number)[], batch: boolean): string {
  const rest = batch ? path.slice(1) : path;
  return (rest[0] === "json" ? rest.slice(1) : rest).join(".");
}

/**
 * Strings no procedure has a use for, each with the reason given. A lone
 * surrogate (half of a UTF-16 pair, e.g. "\\ud800") is not text: Prisma's engine
 * fails on it and other systems replace or refuse it.
 */
const REFUSED: { escaped: RegExp; bad: (s: string) => boolean; reason: string }[] = [
  { escaped: /\\u0000/i, bad: (s) => s.includes("\0"), reason: "must not contain NUL characters" },
  { escaped: /\\u[dD][89a-fA-F]/, bad: (s) => !isWellFormed(s), reason: "must not contain lone surrogates (\\ud800-\\udfff without its pair)" },
];

/**
 * Throws the tRPC error a raw input (body or `input` query parameter) deserves:
 * nested too deep, or a NUL or lone surrogate in a string. A text that is not
 * JSON is left to tRPC.
 */
export function checkRawInput(text: string, batch: boolean): void {
  if (jsonDepthExceeds(text, MAX_DEPTH)) throw inputError("BAD_REQUEST", `request body nested too deep (max ${MAX_DEPTH})`);
  // JSON can only carry these escaped (raw surrogates are not UTF-8), so most inputs skip the walk.
  const suspects = REFUSED.filter((r) => r.escaped.test(text));
  if (suspects.length === 0) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  for (const { bad, reason } of suspects) {
    const at = findString(parsed, bad);
    if (!at) continue;
    const field = fieldName(at, batch);
    throw inputError("BAD_REQUEST", `${field || "input"}: ${reason}`, field || undefined);
  }
}

const tooLarge = () => inputError("PAYLOAD_TOO_LARGE", `request body too large (max ${MAX_BODY_BYTES / 1024 / 1024} MB)`);

/**
 * Reads a request body of at most MAX_BODY_BYTES. Past the cap it stops
 * reading and throws at once; the caller answers 413 and closes the connection,
 * so the rest is never read into memory.
 */
export function readCappedBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        cleanup();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
