/**
 * Stacks (compose projects) of one environment. Thin: the runtime loads,
 * checks and deploys the file; here are identity, role, ownership (a stack's
 * row, keyed by its name, whose id every container of the stack carries as
 * Berth's access label), the security settings and the preflight
 * (server/stacks/guard.ts), and the audit entry. A stack is named by `id`
 * (its project name) so the authorisation layer checks it like any object.
 */
import { z } from "zod";
import { stacksMethods, stackNameSchema, serviceNameSchema } from "~/runtime/stacks/protocol";
import { accessInputSchema } from "../../authz/container-ownership";
import { controlFor, controlsOf, dropControl, setControl } from "../../authz/ownership";
import { fileAudit, guardStackDeploy } from "../../stacks/guard";
import { createStack } from "../../stacks/create";
import { envProcedure, router } from "../trpc";
import type { Context } from "../trpc";

const m = stacksMethods;
const stackId = z.strictObject({ id: stackNameSchema });
const owner = (ctx: Context) => ({ id: ctx.user!.id, name: ctx.user!.username });
const fileInput = {
  file: m["stacks.deploy"].shape.file,
  /** The `.env` text (`env` names the environment in every dashboard input). */
  dotenv: m["stacks.deploy"].shape.env,
  pull: m["stacks.deploy"].shape.pull,
  /** Deploy although the preflight failed: audited with the checks that failed. */
  override: z.boolean().default(false),
};

/** The row's id, to label the stack's containers: the stack's own row (absent for a CLI project nobody adopted). */
async function controlIdOf(_ctx: Context, env: string, name: string): Promise<string | undefined> {
  return controlFor(await controlsOf(env), "stack", name)?.id;
}

export const stacksRouter = router({
  list: envProcedure("stack.list").query(async ({ ctx }) => {
    const all = await ctx.conn.runtime.call("stacks.list", {});
    return ctx.access.scope === "all" ? all : all.filter((s) => ctx.access.sees("stack", s.name));
  }),

  get: envProcedure("stack.list", stackId).query(({ input, ctx }) => ctx.conn.runtime.call("stacks.get", { name: input.id })),

  /** The editor's check as you type: YAML, the Compose Specification's schema, supported keys, variables. */
  check: envProcedure("stack.list", z.strictObject({ name: m["stacks.check"].shape.name, file: fileInput.file, dotenv: fileInput.dotenv })).query(({ input, ctx }) =>
    ctx.conn.runtime.call("stacks.check", { name: input.name, file: input.file, env: input.dotenv }),
  ),

  convertRun: envProcedure("stack.list", m["stacks.convertRun"]).mutation(({ input, ctx }) => {
    ctx.audit.discard = true;
    return ctx.conn.runtime.call("stacks.convertRun", { command: input.command, service: input.service });
  }),

  // Runs a helper container and probes host ports: for those who may deploy (a stack or a container template), not for readers.
  preflight: envProcedure("container.create", m["stacks.preflight"]).mutation(({ input, ctx }) => {
    ctx.audit.discard = true;
    return ctx.conn.runtime.call("stacks.preflight", { target: input.target });
  }),

  create: envProcedure("stack.create", z.strictObject({ name: stackNameSchema, ...fileInput, access: accessInputSchema.optional() }))
    .mutation(({ input, ctx }) =>
      createStack(ctx, { envId: input.env, name: input.name, file: input.file, dotenv: input.dotenv, pull: input.pull, override: input.override, access: input.access }),
    ),

  update: envProcedure("stack.update", stackId.extend({
    ...fileInput,
    removeOrphans: m["stacks.deploy"].shape.removeOrphans,
    forceRecreate: m["stacks.deploy"].shape.forceRecreate,
  })).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "stack", id: input.id, name: input.id };
    ctx.audit.details = fileAudit(input.file, input.dotenv);
    const guard = await guardStackDeploy(ctx.user, input.env, ctx.conn, { name: input.id, file: input.file, env: input.dotenv, override: input.override });
    ctx.audit.details = {
      ...fileAudit(input.file, input.dotenv),
      pull: input.pull, removeOrphans: input.removeOrphans, forceRecreate: input.forceRecreate,
      ...(guard.overridden.length ? { override: true, failedChecks: guard.overridden } : {}),
    };
    return ctx.conn.runtime.call("stacks.deploy", {
      name: input.id, file: input.file, env: input.dotenv, pull: input.pull, owner: owner(ctx), auths: guard.auths, registryConfig: guard.registryConfig,
      controlId: await controlIdOf(ctx, input.env, input.id), removeOrphans: input.removeOrphans, forceRecreate: input.forceRecreate,
    });
  }),

  rollback: envProcedure("stack.update", stackId.extend({ version: z.number().int().min(1), override: z.boolean().default(false) }))
    .mutation(async ({ input, ctx }) => {
      ctx.audit.target = { type: "stack", id: input.id, name: input.id };
      const version = await ctx.conn.runtime.call("stacks.version", { name: input.id, version: input.version });
      // The version's file goes through the same checks as a new one: the settings may have changed since.
      const guard = await guardStackDeploy(ctx.user, input.env, ctx.conn, { name: input.id, file: version.file, env: version.env, override: input.override });
      ctx.audit.details = { version: input.version, ...(guard.overridden.length ? { override: true, failedChecks: guard.overridden } : {}) };
      return ctx.conn.runtime.call("stacks.rollback", {
        name: input.id, version: input.version, owner: owner(ctx), auths: guard.auths, registryConfig: guard.registryConfig, controlId: await controlIdOf(ctx, input.env, input.id),
      });
    }),

  action: envProcedure("stack.operate", stackId.extend({ action: m["stacks.action"].shape.action, service: serviceNameSchema.optional() }))
    .mutation(({ input, ctx }) => {
      ctx.audit.target = { type: "stack", id: input.id, name: input.id };
      return ctx.conn.runtime.call("stacks.action", { name: input.id, action: input.action, service: input.service });
    }),

  scale: envProcedure("stack.operate", stackId.extend({ service: serviceNameSchema, replicas: m["stacks.scale"].shape.replicas }))
    .mutation(async ({ input, ctx }) => {
      ctx.audit.target = { type: "stack", id: input.id, name: input.id };
      return ctx.conn.runtime.call("stacks.scale", {
        name: input.id, service: input.service, replicas: input.replicas, owner: owner(ctx), controlId: await controlIdOf(ctx, input.env, input.id),
      });
    }),

  down: envProcedure("stack.remove", stackId.extend({
    volumes: m["stacks.down"].shape.volumes,
    images: m["stacks.down"].shape.images,
    removeFiles: m["stacks.down"].shape.removeFiles,
  })).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "stack", id: input.id, name: input.id };
    const r = await ctx.conn.runtime.call("stacks.down", { name: input.id, volumes: input.volumes, images: input.images, removeFiles: input.removeFiles });
    if (input.removeFiles) await dropControl(input.env, "stack", input.id);
    return r;
  }),

  versions: envProcedure("stack.list", stackId).query(({ input, ctx }) => ctx.conn.runtime.call("stacks.versions", { name: input.id })),
  version: envProcedure("stack.list", stackId.extend({ version: z.number().int().min(1) })).query(({ input, ctx }) =>
    ctx.conn.runtime.call("stacks.version", { name: input.id, version: input.version }),
  ),
  diff: envProcedure("stack.list", stackId.extend({ from: z.number().int().min(1), to: z.number().int().min(1) })).query(({ input, ctx }) =>
    ctx.conn.runtime.call("stacks.diff", { name: input.id, from: input.from, to: input.to }),
  ),

  /** A CLI project becomes Berth's: its file is imported, and it gets an ownership row (Administrators only, until changed). */
  adopt: envProcedure("stack.adopt", stackId).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "stack", id: input.id, name: input.id };
    const r = await ctx.conn.runtime.call("stacks.adopt", { name: input.id, owner: owner(ctx) });
    await setControl({ env: input.env, type: "stack", resourceId: input.id, ownerId: ctx.user!.id, access: "admins" });
    return r;
  }),
});
