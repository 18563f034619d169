/**
 * The shape of a capability's wire contract: its methods (input schemas), their
 * results, and the frames of its channels. Capability protocol files declare
 * theirs with these types; runtime/protocol/methods.ts joins them.
 */
import type { z } from "zod";

/** Method name → zod schema of its input. */
export type MethodTable = Record<string, z.ZodType>;

/** How long a call of a method may take, from its input (ms); see deadlines.ts. */
export type DeadlineRules = Record<string, (input: Record<string, unknown> | undefined) => number>;

/** The implementation of every method of a table, typed by its input schema and result map. */
export type HandlersFor<M extends MethodTable, R extends { [K in keyof M]: unknown }> = {
  [K in keyof M]: (input: z.output<M[K]>) => Promise<R[K]>;
};

/** Channel name → where it is opened on the runtime and the schema of the frames it sends. */
export type ChannelTable = Record<string, { path: `/ws/${string}`; frame: z.ZodType }>;
