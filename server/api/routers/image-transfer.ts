/**
 * `docker pull`, `docker push` and `docker search` for the dashboard. Pull and
 * push start a task in the environment's runtime (answered at once with its
 * id; the page follows it on the `tasks` channel), tagged with the user who
 * started it, with the credentials Berth holds for the registry the reference
 * names (never returned, never in the audit row: the input is audited, the
 * credentials are added after).
 */
import { z } from "zod";
import { pullReferenceSchema, pushReferenceSchema, transferMethods } from "~/runtime/transfer/protocol";
import { registryAuthFor } from "../../registries/credentials";
import { envProcedure, router, withoutEnv } from "../trpc";

const pullInput = z.strictObject({ reference: pullReferenceSchema, platform: transferMethods["images.pull"].shape.platform });
const pushInput = z.strictObject({ reference: pushReferenceSchema });

export const imageTransferRouter = router({
  pull: envProcedure("image.pull", pullInput).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "image", name: input.reference };
    const started = await ctx.conn.runtime.call("images.pull", {
      ...withoutEnv(input),
      auth: await registryAuthFor(input.reference),
      owner: { id: ctx.user!.id, name: ctx.user!.username },
    });
    return started;
  }),

  push: envProcedure("image.push", pushInput).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "image", name: input.reference };
    const started = await ctx.conn.runtime.call("images.push", {
      reference: input.reference,
      auth: await registryAuthFor(input.reference),
      owner: { id: ctx.user!.id, name: ctx.user!.username },
    });
    return started;
  }),

  search: envProcedure("image.list", transferMethods["images.search"]).query(({ input, ctx }) => ctx.conn.runtime.call("images.search", withoutEnv(input))),
});
