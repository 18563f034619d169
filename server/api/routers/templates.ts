/**
 * App templates: the list (built-in, sources, custom), one template with its
 * rendered result, deploy (a container template through the create pipeline,
 * a stack template through the stacks router's checks), custom templates, and
 * the template sources setting. Thin: the work is in server/templates/.
 *
 * Procedures (the contract the pages code against):
 * - list({env})                    → { templates: AppTemplate[]; sources: TemplateSourceStatus[] }   template.read
 * - get({env, id})                 → AppTemplate & { stackFile?: string }                              template.read
 * - render({env, id, values})      → { kind: "container"; spec: RunSpec } | { kind: "stack"; name; file; env }   template.read
 * - deployContainer({env, id, values, access?, override}) → { kind: "container"; id; name; ports: {hostIp?, hostPort, containerPort}[] }   container.create
 * - deployStack({env, id, values, access?, override})     → { kind: "stack"; name; taskId; task }                                         stack.create
 * - customCreate({env, ...CustomTemplateInput}) / customUpdate({env, id, ...}) / customRemove({env, id}) / customFromStack({env, stack, title…})  template.manage
 * - sources() / setSources({sources: TemplateSource[]})   settings.manage (Administrators)
 */
import { z } from "zod";
import { stackNameSchema } from "~/runtime/stacks/protocol";
import { accessInputSchema, createOwned, labelledSpec } from "../../authz/container-ownership";
import { canSee, controlFor, controlsOf } from "../../authz/ownership";
import { viewerOf } from "../../authz/authorize";
import { createReconciled } from "../../create-reconcile";
import { BerthError } from "../../errors";
import { checkCreateSpec } from "../../security/enforce";
import { createStack } from "../../stacks/create";
import { preflightGate } from "../../stacks/guard";
import { catalog, findTemplate, listedSources, readSources, sourcesInputSchema, stackFileOf, writeSources, type Viewer } from "../../templates/catalog";
import { createCustom, removeCustom, updateCustom } from "../../templates/custom";
import { renderContainer, renderStack, type Rendered } from "../../templates/render";
import { customTemplateInputSchema, templateValuesSchema, type AppTemplate } from "../../templates/types";
import { envProcedure, procedure, router, type Context } from "../trpc";
import type { Access } from "../../authz/authorize";

const templateId = z.string().min(1, "is required").max(200, "must be at most 200 characters");
const idInput = z.strictObject({ id: templateId });
const valuesInput = z.strictObject({ id: templateId, values: templateValuesSchema });
const deployInput = valuesInput.extend({
  access: accessInputSchema.optional(),
  /** Deploy although the preflight failed: audited with the checks that failed. */
  override: z.boolean().default(false),
});
const fromStackInput = z.strictObject({
  stack: stackNameSchema,
  title: customTemplateInputSchema.shape.title,
  description: customTemplateInputSchema.shape.description,
  note: customTemplateInputSchema.shape.note,
  logo: customTemplateInputSchema.shape.logo,
  categories: customTemplateInputSchema.shape.categories,
});

function viewer(ctx: Context & { access: Access }): Viewer {
  return { userId: ctx.user!.id, admin: ctx.user!.role === "admin", envAdmin: ctx.access.role === "env-admin" };
}

async function rendered(ctx: Context & { access: Access }, id: string, values: z.output<typeof templateValuesSchema>): Promise<{ template: AppTemplate; result: Rendered }> {
  const entry = await findTemplate(viewer(ctx), id);
  if (entry.template.type === "container") return { template: entry.template, result: { kind: "container", spec: renderContainer(entry.template, values) } };
  return { template: entry.template, result: renderStack(entry.template, values, await stackFileOf(entry)) };
}

type PublishedPort = { hostIp?: string; hostPort: number; containerPort: number; protocol: string };

/** The ports the engine published (read back, so a port chosen by the engine is known too). */
function publishedPorts(ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null | undefined): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port, protocol = "tcp"] = key.split("/");
    for (const b of bindings ?? []) {
      // The engine lists IPv4 and IPv6 bindings of one port: one is enough for the Open link.
      if (out.some((p) => p.containerPort === Number(port) && p.protocol === protocol && p.hostPort === Number(b.HostPort))) continue;
      out.push({ ...(b.HostIp && b.HostIp !== "0.0.0.0" && b.HostIp !== "::" ? { hostIp: b.HostIp } : {}), hostPort: Number(b.HostPort), containerPort: Number(port), protocol });
    }
  }
  return out;
}

export const templatesRouter = router({
  list: envProcedure("template.read").query(async ({ ctx }) => {
    const v = viewer(ctx);
    const { entries, sources } = await catalog(v);
    // Why a source failed names hosts and paths of the dashboard's network: Administrators read it (they set the sources).
    const shown = v.admin ? sources : sources.map(({ error, problems: _problems, ...s }) => ({ ...s, ...(error ? { error: "this template source could not be read (an administrator sees why in Settings)" } : {}) }));
    return { templates: entries.map((e) => e.template), sources: shown };
  }),

  get: envProcedure("template.read", idInput).query(async ({ input, ctx }): Promise<AppTemplate & { stackFile?: string }> => {
    const entry = await findTemplate(viewer(ctx), input.id);
    if (entry.template.type !== "stack") return entry.template;
    try {
      return { ...entry.template, stackFile: await stackFileOf(entry) };
    } catch (err) {
      // The template is shown; the deploy explains why it cannot run.
      return { ...entry.template, hasStackFile: false, stackFileProblem: err instanceof Error ? err.message.replace(/^id: /, "") : String(err) };
    }
  }),

  render: envProcedure("template.read", valuesInput).query(async ({ input, ctx }) => (await rendered(ctx, input.id, input.values)).result),

  deployContainer: envProcedure("container.create", deployInput).mutation(async ({ input, ctx }) => {
    const { template, result } = await rendered(ctx, input.id, input.values);
    if (result.kind !== "container") throw new BerthError("BAD_REQUEST", `id: "${template.title}" is a stack template: deploy it as a stack`, { field: "id" });
    const spec = result.spec;
    ctx.audit.target = { type: "container", name: input.values.name };
    await checkCreateSpec(ctx.user, input.env, ctx.conn, spec as Record<string, unknown>);
    const { overridden } = await preflightGate(ctx.conn, { kind: "container", spec }, input.override);
    ctx.audit.details = { template: input.id, title: template.title, spec, ...(overridden.length ? { override: true, failedChecks: overridden } : {}) };
    const created = await createOwned({
      env: input.env,
      userId: ctx.user!.id,
      role: ctx.access.role,
      access: input.access,
      create: (controlId) =>
        createReconciled(ctx.conn, { spec: labelledSpec(spec as Record<string, unknown>, controlId), createOnly: false }, (id, found) => (ctx.audit.target = { type: "container", id, name: found })),
    });
    ctx.audit.target = { type: "container", id: created.id, name: created.name };
    let ports: PublishedPort[];
    try {
      ports = publishedPorts((await ctx.conn.runtime.call("containers.inspect", { id: created.id })).container.NetworkSettings.Ports);
    } catch {
      // Created and started: the Open link falls back to the ports the spec chose.
      ports = (spec.ports ?? []).filter((p) => p.hostPort).map((p) => ({ ...(p.hostIp ? { hostIp: p.hostIp } : {}), hostPort: p.hostPort!, containerPort: p.containerPort, protocol: p.protocol ?? "tcp" }));
    }
    return { kind: "container" as const, id: created.id, name: created.name, ports, warnings: created.warnings };
  }),

  deployStack: envProcedure("stack.create", deployInput).mutation(async ({ input, ctx }) => {
    const { template, result } = await rendered(ctx, input.id, input.values);
    if (result.kind !== "stack") throw new BerthError("BAD_REQUEST", `id: "${template.title}" is a container template: deploy it as a container`, { field: "id" });
    const r = await createStack(ctx, {
      envId: input.env, name: result.name, file: result.file, dotenv: result.env, pull: "missing", override: input.override, access: input.access,
      details: { template: input.id, title: template.title },
    });
    return { kind: "stack" as const, name: result.name, taskId: r.taskId, task: r.task };
  }),

  customCreate: envProcedure("template.manage", customTemplateInputSchema).mutation(async ({ input, ctx }) => {
    const { env: _env, ...fields } = input;
    const t = await createCustom(viewer(ctx), fields);
    ctx.audit.target = { type: "template", id: t.id, name: t.title };
    return t;
  }),

  customUpdate: envProcedure("template.manage", customTemplateInputSchema.extend({ id: templateId })).mutation(async ({ input, ctx }) => {
    const { env: _env, id, ...fields } = input;
    const t = await updateCustom(viewer(ctx), id, fields);
    ctx.audit.target = { type: "template", id: t.id, name: t.title };
    return t;
  }),

  customRemove: envProcedure("template.manage", idInput).mutation(async ({ input, ctx }) => {
    const r = await removeCustom(viewer(ctx), input.id);
    ctx.audit.target = { type: "template", id: r.id, name: r.title };
    return r;
  }),

  /** A custom template from a stack's file as Berth keeps it (its variables are filled in as `{{ VAR }}` later, by editing). */
  customFromStack: envProcedure("template.manage", fromStackInput).mutation(async ({ input, ctx }) => {
    const v = viewer(ctx);
    if (!v.admin && !v.envAdmin) {
      const sees = canSee(await viewerOf(ctx.user!), controlFor(await controlsOf(input.env), "stack", input.stack));
      if (!sees) throw new BerthError("FORBIDDEN", `stack: access denied to stack "${input.stack}": it is not yours, not shared with you, and not public`, { field: "stack" });
    }
    const stack = await ctx.conn.runtime.call("stacks.get", { name: input.stack });
    if (!stack.file) throw new BerthError("BAD_REQUEST", `stack: "${input.stack}" was started with the compose CLI and Berth has no copy of its file: adopt it first`, { field: "stack" });
    const t = await createCustom(v, customTemplateInputSchema.parse({
      title: input.title, description: input.description, note: input.note, logo: input.logo, categories: input.categories, content: stack.file, variables: [],
    }));
    ctx.audit.target = { type: "template", id: t.id, name: t.title };
    return t;
  }),

  sources: procedure("settings.manage").query(async () => {
    const [configured, loaded] = await Promise.all([readSources(), listedSources()]);
    return { sources: configured, status: loaded.sources.map((s) => s.status), builtin: loaded.builtin.status };
  }),

  setSources: procedure("settings.manage").input(sourcesInputSchema).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "settings", id: "templates.sources", name: "Template sources" };
    await writeSources(input.sources);
    const loaded = await listedSources();
    return { sources: input.sources, status: loaded.sources.map((s) => s.status) };
  }),
});
