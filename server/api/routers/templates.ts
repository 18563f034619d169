/**
 * App templates: the list (built-in, sources, custom), one template with its
 * rendered result, deploy (a container template through the create pipeline,
 * a stack template through the stacks router's checks), custom templates, and
 * the template sources setting. STUB: the templates work fills it in.
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
import { router } from "../trpc";

export const templatesRouter = router({});
