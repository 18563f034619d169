/**
 * Registries, for administrators (`registry.manage`): the list and its
 * changes (server/registries/), and what reaches a registry through an
 * environment's runtime: Test login (`docker login`), browse the catalogue,
 * a repository's tags, delete a tag. The secret goes to the runtime in the
 * one call that needs it and never back to the browser; the audit keeps the
 * input without it (server/audit-redact.ts hides `password` and `auth`).
 */
import { z } from "zod";
import { repositorySchema, registryTagSchema } from "~/runtime/registries/protocol";
import { createRegistry, listRegistries, registryEndpoint, removeRegistry, updateRegistry, type RegistryEndpoint } from "../../registries/registries";
import { auditedChange } from "../audited-change";
import { envProcedure, procedure, router, type Context } from "../trpc";
import { recordId } from "./users";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const name = z
  .string({ error: "name is required" })
  .trim()
  .min(1, "name is required")
  .max(64, "name must be at most 64 characters")
  .refine((v) => !CONTROL.test(v), "name must not contain control characters");

const username = z
  .string()
  .max(256, "username must be at most 256 characters")
  .refine((v) => !CONTROL.test(v), "username must not contain control characters")
  .refine((v) => !v.includes(":"), "username must not contain ':' (it separates user and password in Basic auth)")
  .optional();

const password = z
  .string()
  .max(8192, "password must be at most 8192 characters")
  .refine((v) => !v.includes("\u0000"), "password must not contain NUL characters")
  .optional();

const fields = z.object({
  name,
  kind: z.enum(["dockerhub", "custom"], { error: 'kind must be "dockerhub" (Docker Hub) or "custom" (any registry URL)' }).default("custom"),
  // Checked (scheme, path, credentials, port) by server/registries, which names the field.
  url: z.string().max(300, "url must be at most 300 characters").optional(),
  username,
  password,
  insecure: z.boolean({ error: "insecure must be true or false" }).default(false),
});

const byId = z.object({ id: recordId("id") });

/** The runtime call's endpoint, and the audit row naming the registry. */
async function endpointFor(ctx: Context, id: string): Promise<RegistryEndpoint> {
  const e = await registryEndpoint(id);
  ctx.audit.target = { ...ctx.audit.target, type: "registry", id: e.id, name: e.name };
  return e;
}

const wire = (e: RegistryEndpoint) => ({ url: e.url, insecure: e.insecure, ...(e.auth ? { auth: e.auth } : {}) });

export const registriesRouter = router({
  list: procedure("registry.manage").query(() => listRegistries()),
  create: procedure("registry.manage")
    .input(fields)
    .mutation(({ input, ctx }) => createRegistry(input, auditedChange(ctx, "registry.manage"))),
  update: procedure("registry.manage")
    .input(fields.extend({ id: recordId("id"), clearPassword: z.boolean().default(false) }))
    .mutation(({ input, ctx }) => updateRegistry(input.id, input, auditedChange(ctx, "registry.manage"))),
  remove: procedure("registry.manage")
    .input(byId)
    .mutation(({ input, ctx }) => removeRegistry(input.id, auditedChange(ctx, "registry.manage"))),

  // Through the runtime of the environment the administrator is on.
  test: envProcedure("registry.manage", byId).mutation(async ({ input, ctx }) => {
    const e = await endpointFor(ctx, input.id);
    return ctx.conn.runtime.call("registries.login", wire(e));
  }),
  browse: envProcedure("registry.manage", byId).query(async ({ input, ctx }) => {
    const e = await endpointFor(ctx, input.id);
    return ctx.conn.runtime.call("registries.catalog", wire(e));
  }),
  tags: envProcedure("registry.manage", byId.extend({ repository: repositorySchema })).query(async ({ input, ctx }) => {
    const e = await endpointFor(ctx, input.id);
    return ctx.conn.runtime.call("registries.tags", { ...wire(e), repository: input.repository });
  }),
  deleteTag: envProcedure("registry.manage", byId.extend({ repository: repositorySchema, tag: registryTagSchema })).mutation(async ({ input, ctx }) => {
    const e = await endpointFor(ctx, input.id);
    ctx.audit.target = { ...ctx.audit.target, name: `${e.name}: ${input.repository}:${input.tag}` };
    return ctx.conn.runtime.call("registries.deleteTag", { ...wire(e), repository: input.repository, tag: input.tag });
  }),
});
