import { BerthError } from "../errors";
import { state } from "../state";
import type { RuntimeClient } from "./runtime-client";

/** The runtime client, or a clear error while the runtime is not up. */
export function runtime(): RuntimeClient {
  if (!state.runtime) throw new BerthError("RUNTIME_UNAVAILABLE", "Berth runtime is not running");
  return state.runtime;
}
