/** `stacks.check` and `stacks.convertRun`, over the compose library (runtime/compose/). STUB. */
import type { EngineContext } from "../capability";
import { notBuilt, type StacksHandlers } from "./handler-types";

export function checkHandlers(_ctx: EngineContext): StacksHandlers<"stacks.check" | "stacks.convertRun"> {
  return { "stacks.check": notBuilt("stacks.check"), "stacks.convertRun": notBuilt("stacks.convertRun") };
}
