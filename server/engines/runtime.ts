import { BerthError } from "../errors";
import { defaultEnvironmentId, findConnection } from "./registry";
import type { RuntimeClient } from "./runtime-client";

/**
 * The default environment's runtime client, or a clear error while there is none.
 * Transitional: callers move to `connection(input.env).runtime`.
 */
export function runtime(): RuntimeClient {
  const id = defaultEnvironmentId();
  const conn = id === undefined ? undefined : findConnection(id);
  if (!conn) throw new BerthError("RUNTIME_UNAVAILABLE", "Berth runtime is not running");
  return conn.runtime;
}
