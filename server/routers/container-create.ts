/**
 * Create a container from a RunSpec (the form, a pasted `docker run`), and the way
 * back: a container's RunSpec (Duplicate/Edit) and its `docker run` command. Thin:
 * the runtime validates, checks against the engine, pulls, creates and starts.
 */
import { methods } from "../../runtime/protocol";
import { runtime } from "../runtime";
import { procedure, router } from "../trpc";

export const containerCreateRouter = router({
  create: procedure("container.create")
    .input(methods["containers.create"])
    .mutation(async ({ input, ctx }) => {
      const name = typeof input.spec.name === "string" ? input.spec.name : undefined;
      ctx.audit.target = { type: "container", ...(name ? { name } : {}) };
      const r = await runtime().call("containers.create", input);
      ctx.audit.target = { type: "container", id: r.id, name: r.name };
      return r;
    }),
  runCommand: procedure("container.inspect")
    .input(methods["containers.runCommand"])
    .query(({ input }) => runtime().call("containers.runCommand", input)),
  spec: procedure("container.inspect")
    .input(methods["containers.spec"])
    .query(({ input }) => runtime().call("containers.spec", input)),
  options: procedure("container.create")
    .input(methods["containers.createOptions"])
    .query(({ input }) => runtime().call("containers.createOptions", input)),
  imageDefaults: procedure("image.inspect")
    .input(methods["images.defaults"])
    .query(({ input }) => runtime().call("images.defaults", input)),
});
