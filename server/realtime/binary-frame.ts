/**
 * The binary frame of `/api/ws` (PROTOCOL.md, "Binary frames"): one
 * subscription's raw bytes (terminal output to the page, keystrokes from it).
 *
 *   byte 0        L, the length of the subscription id in UTF-8 bytes (1..64)
 *   bytes 1..L    the id
 *   the rest      the payload (may be empty)
 *
 * Pure and browser-safe: the hub and app/_lib/live-streams.ts share it.
 */

/** Same bound as subscriptionIdSchema (64 characters); an id of ASCII letters is 64 bytes. */
export const MAX_BINARY_ID_BYTES = 64;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeBinaryFrame(id: string, payload: Uint8Array): Uint8Array {
  const idBytes = encoder.encode(id);
  if (idBytes.length < 1 || idBytes.length > MAX_BINARY_ID_BYTES) {
    throw new RangeError(`id: must be 1 to ${MAX_BINARY_ID_BYTES} bytes of UTF-8`);
  }
  const out = new Uint8Array(1 + idBytes.length + payload.length);
  out[0] = idBytes.length;
  out.set(idBytes, 1);
  out.set(payload, 1 + idBytes.length);
  return out;
}

export type DecodedBinaryFrame = { ok: true; id: string; payload: Uint8Array } | { ok: false; message: string };

/** The id and payload of a binary frame; a malformed one says what is wrong (the field is always `id`). */
export function decodeBinaryFrame(frame: Uint8Array): DecodedBinaryFrame {
  if (frame.length === 0) return { ok: false, message: "id: a binary frame starts with the length of its subscription id" };
  const len = frame[0];
  if (len < 1 || len > MAX_BINARY_ID_BYTES) {
    return { ok: false, message: `id: a binary frame's first byte is its id's length, 1 to ${MAX_BINARY_ID_BYTES} (got ${len})` };
  }
  if (frame.length < 1 + len) return { ok: false, message: `id: the frame is shorter than its id (${len} bytes)` };
  let id: string;
  try {
    id = decoder.decode(frame.subarray(1, 1 + len));
  } catch {
    return { ok: false, message: "id: must be UTF-8" };
  }
  return { ok: true, id, payload: frame.subarray(1 + len) };
}
