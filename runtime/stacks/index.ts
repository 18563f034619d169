/**
 * The stacks capability: compose projects through the Engine API. The handlers
 * live beside this file by concern: checking a file and converting `docker run`
 * (check.ts, over the compose library), the preflight (preflight/), and the
 * stack engine itself (engine-handlers.ts: list, deploy, update, versions…).
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { checkHandlers } from "./check";
import { engineHandlers } from "./engine-handlers";
import { preflightHandlers } from "./preflight/index";
import { stacksMethods, type StacksResults } from "./protocol";

export function stacksCapability(ctx: EngineContext): Capability {
  return defineCapability<typeof stacksMethods, StacksResults>({
    name: "stacks",
    methods: stacksMethods,
    handlers: { ...checkHandlers(ctx), ...preflightHandlers(ctx), ...engineHandlers(ctx) },
  });
}
