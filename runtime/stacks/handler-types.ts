/** The handler type of one or more stacks methods, for the files that each build a part of the capability. */
import type { z } from "zod";
import type { stacksMethods, StacksResults } from "./protocol";

export type StacksMethod = keyof typeof stacksMethods;
export type StacksHandlers<M extends StacksMethod> = {
  [K in M]: (input: z.output<(typeof stacksMethods)[K]>) => Promise<StacksResults[K]>;
};

export const notBuilt = (method: string) => async (): Promise<never> => {
  const { RuntimeFailure } = await import("../engine/errors");
  throw new RuntimeFailure({ code: "INTERNAL", message: `${method} is not built yet` });
};
