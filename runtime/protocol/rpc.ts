/**
 * The runtime's transport. HTTP on a unix socket (or 127.0.0.1) with the shared
 * key in the `x-berth-key` header. Calls are `POST /rpc/<method>` with a JSON
 * body and answer `{ ok: true, result }` or `{ ok: false, error }`. Streams are
 * WebSocket upgrades on `/ws/<channel>`, JSON text frames (binary frames reserved
 * for terminals and bulk log data). Plain HTTP routes (downloads) sit behind the
 * same key.
 */
import type { RuntimeError } from "./errors";

export const RUNTIME_KEY_HEADER = "x-berth-key";

export type RpcReply<T> = { ok: true; result: T } | { ok: false; error: RuntimeError };
