/**
 * `docker images`, `image inspect`, `tag` and `rmi` for the dashboard: thin
 * procedures over the runtime's images capability. Images are environment-wide
 * (no ownership, as in Portainer). Save, load, import and build are plain HTTP
 * routes (server/http/images-routes.ts): their bodies are files.
 */
import { imagesMethods } from "~/runtime/images/protocol";
import { envProcedure, router, withoutEnv } from "../trpc";

export const imagesRouter = router({
  list: envProcedure("image.list").query(({ ctx }) => ctx.conn.runtime.call("images.list", {})),

  inspect: envProcedure("image.list", imagesMethods["images.inspect"]).query(({ input, ctx }) => ctx.conn.runtime.call("images.inspect", withoutEnv(input))),

  tag: envProcedure("image.tag", imagesMethods["images.tag"]).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "image", id: input.id, name: `${input.repository}:${input.tag ?? "latest"}` };
    const r = await ctx.conn.runtime.call("images.tag", withoutEnv(input));
    ctx.audit.target = { type: "image", id: r.id, name: r.reference };
    return r;
  }),

  remove: envProcedure("image.remove", imagesMethods["images.remove"]).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "image", name: input.id };
    return ctx.conn.runtime.call("images.remove", withoutEnv(input));
  }),
});
