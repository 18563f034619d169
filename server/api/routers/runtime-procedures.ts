/**
 * The two shapes most procedures take: a read passed straight to the runtime of
 * the input's environment, and a container action whose audit row names the
 * container (by id first, then by the name the runtime answers with). One place,
 * so every action names its target the same way.
 */
import { methods, type MethodName, type MethodResults } from "~/runtime/protocol/index";
import type { ActionResult } from "~/runtime/protocol/action-result";
import type { Connection } from "../../engines/registry";
import type { Permission } from "../permissions";
import type { z } from "zod";
import type { Access } from "../../authz/authorize";
import { envProcedure, withoutEnv, type Context } from "../trpc";

/** Names the container in the audit row: from the environment's live list first, the runtime's answer after. */
export function auditContainer(ctx: Context & { conn: Connection }, id: string, name?: string) {
  const known = ctx.conn.live.find(id);
  const shown = name ?? known?.name;
  ctx.audit.target = { type: "container", id: known?.id ?? id, ...(shown ? { name: shown } : {}) };
}

/** A query that is the runtime method itself, with its own zod input plus `env`. */
export function runtimeQuery<M extends MethodName>(permission: Permission, method: M) {
  return envProcedure(permission, methods[method])
    .query(({ input, ctx }) => ctx.conn.runtime.call(method, withoutEnv(input) as never) as Promise<MethodResults[M]>);
}

/** Methods that act on one container (`{ id, … }`) and answer with the one action result (its id, name, changed). */
type ContainerActionMethod = {
  [M in MethodName]: MethodResults[M] extends ActionResult ? M : never;
}[MethodName];

/** What follows a container action in Berth's own records (its ownership): given the full id before and the result. */
type After<M extends ContainerActionMethod> = (env: string, before: string | undefined, r: MethodResults[M]) => Promise<void>;

/** A check beyond the container's own (e.g. the network a connect reaches), before the call. */
type Check<M extends ContainerActionMethod> = (ctx: Context & { conn: Connection; access: Access }, input: z.output<(typeof methods)[M]>) => Promise<void>;

/** A mutation on one container: permission, audit target, the runtime call. */
export function containerAction<M extends ContainerActionMethod>(permission: Permission, method: M, after?: After<M>, check?: Check<M>) {
  return envProcedure(permission, methods[method])
    .mutation(async ({ input, ctx }) => {
      const before = ctx.conn.live.find((input as { id: string }).id)?.id;
      auditContainer(ctx, (input as { id: string }).id);
      await check?.(ctx, input as never);
      const r = (await ctx.conn.runtime.call(method, withoutEnv(input) as never)) as MethodResults[M];
      auditContainer(ctx, r.id, r.name);
      await after?.(input.env, before, r);
      return r;
    });
}
