/**
 * Create a container from a RunSpec (the form, a pasted `docker run`), and the way
 * back: a container's RunSpec (Duplicate/Edit) and its `docker run` command. Thin:
 * the runtime validates, checks against the engine, pulls, creates and starts. A
 * create the runtime did not live through is checked against the engine (create-reconcile.ts).
 */
import { methods } from "~/runtime/protocol/index";
import { createReconciled } from "../../create-reconcile";
import { accessInputSchema, createOwned, labelledSpec } from "../../authz/container-ownership";
import { checkCreateSpec } from "../../security/enforce";
import { envProcedure, router, withoutEnv } from "../trpc";
import { runtimeQuery } from "./runtime-procedures";

export const containerCreateRouter = router({
  create: envProcedure("container.create", methods["containers.create"].extend({ access: accessInputSchema.optional() }))
    .mutation(async ({ input, ctx }) => {
      const name = typeof input.spec.name === "string" ? input.spec.name : undefined;
      ctx.audit.target = { type: "container", ...(name ? { name } : {}) };
      // The environment's security settings (bind mounts, privileged…) bind non-administrators here, not only in the form.
      await checkCreateSpec(ctx.user, input.env, ctx.conn, input.spec);
      const { access, ...rest } = withoutEnv(input);
      const r = await createOwned({
        env: input.env,
        userId: ctx.user!.id,
        role: ctx.access.role,
        access,
        create: (controlId) =>
          createReconciled(ctx.conn, { ...rest, spec: labelledSpec(rest.spec, controlId) }, (id, found) => (ctx.audit.target = { type: "container", id, name: found })),
      });
      ctx.audit.target = { type: "container", id: r.id, name: r.name };
      return r;
    }),
  runCommand: runtimeQuery("container.inspect", "containers.runCommand"),
  spec: runtimeQuery("container.inspect", "containers.spec"),
  options: envProcedure("container.create").query(({ ctx }) => ctx.conn.runtime.call("containers.createOptions", {})),
  imageDefaults: runtimeQuery("image.inspect", "images.defaults"),
});
