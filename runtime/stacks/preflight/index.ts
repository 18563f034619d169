/** `stacks.preflight`: the checks before a stack or a template is deployed. STUB. */
import type { EngineContext } from "../../capability";
import { notBuilt, type StacksHandlers } from "../handler-types";

export function preflightHandlers(_ctx: EngineContext): StacksHandlers<"stacks.preflight"> {
  return { "stacks.preflight": notBuilt("stacks.preflight") };
}
