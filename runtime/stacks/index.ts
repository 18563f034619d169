/**
 * The stacks capability: compose projects through the Engine API. Handlers
 * live beside this file (one per concern); this only joins them.
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { RuntimeFailure } from "../engine/errors";
import { stacksMethods, type StacksResults } from "./protocol";

const todo = (method: string) => async (): Promise<never> => {
  throw new RuntimeFailure({ code: "INTERNAL", message: `${method} is not built yet` });
};

export function stacksCapability(_ctx: EngineContext): Capability {
  return defineCapability<typeof stacksMethods, StacksResults>({
    name: "stacks",
    methods: stacksMethods,
    handlers: Object.fromEntries(Object.keys(stacksMethods).map((m) => [m, todo(m)])) as never,
  });
}
