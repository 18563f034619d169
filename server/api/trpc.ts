/**
 * tRPC context and procedures. Every procedure is built by `procedure(permission)`:
 * there is no other exported builder, so a procedure cannot exist without a
 * declared permission. The middleware here checks it and writes the audit row
 * of every mutation, in this one place, before the mutation runs: a mutation
 * whose row cannot be written is refused and does not run.
 */
import type { IncomingMessage } from "node:http";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { AuditWriteError, beginAudit, discardAudit, finishAudit, recordDenial, UNAUDITED_MUTATIONS, withPendingAudit, type AuditTarget } from "../audit";
import { sessionUser, type SessionUser } from "../auth/session";
import { SESSION_ONLY_MESSAGE, tokenMayUse, tokenUser } from "../auth/api-token";
import { berthCodeOf, berthDetailsOf, toTRPCError } from "../errors";
import { connection, findConnection } from "../engines/registry";
import { AccessDenied, authorize, checkObjects, type Access, type AuthzTarget } from "../authz/authorize";
import { pendingStep, teamsOf } from "../authz/roles";
import { describeIssues, firstIssue } from "../../runtime/protocol/zod-issues";
import { envIdSchema } from "../realtime/protocol";
import { ruleOf, type Permission } from "./permissions";

/** What a user who must first change their password or enrol two-factor may still do. */
const PENDING_ALLOWED: ReadonlySet<Permission> = new Set<Permission>(["session.read", "account.manage", "auth.sign-in", "public.health"]);

export interface Context {
  user: SessionUser | null;
  /** How the user was authenticated: a signed-in session, or an API token (server/auth/api-token.ts), which some permissions refuse. */
  via?: "session" | "token";
  sourceIp: string;
  userAgent?: string;
  /**
   * Procedures fill in `target` so the audit row names the object (id and name).
   * `discard`: the call turned out not to be an action at all (e.g. a closed
   * endpoint answering 404), so its pending row is dropped instead of completed.
   */
  audit: { target?: AuditTarget; discard?: boolean };
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "unknown";
}

export async function createContext({ req }: { req: IncomingMessage }): Promise<Context> {
  const ua = req.headers["user-agent"];
  const session = await sessionUser(req);
  const token = session ? null : await tokenUser(req);
  return { user: session ?? token, via: session ? "session" : token ? "token" : undefined, sourceIp: clientIp(req), userAgent: typeof ua === "string" ? ua.slice(0, 256) : undefined, audit: {} };
}

export interface Meta {
  permission: Permission;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : undefined;
      const firstPath = zod ? firstIssue(zod).field : undefined;
      return {
        ...shape,
        message: zod ? describeIssues(zod) : shape.message,
        data: {
          ...shape.data,
          stack: undefined,
          berthCode: berthCodeOf(error),
          field: firstPath || (error.cause as { field?: string } | undefined)?.field,
          ...berthDetailsOf(error),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** What a call names, read from its raw input before parsing (so refusals come before any work). */
function namedTarget(input: unknown): AuthzTarget & { rawEnv?: unknown } {
  const i = (input && typeof input === "object" ? input : {}) as { env?: unknown; id?: unknown; ids?: unknown; container?: unknown; project?: unknown; teamId?: unknown };
  const env = envIdSchema.safeParse(i.env);
  const one = typeof i.id === "string" ? i.id : typeof i.container === "string" ? i.container : undefined;
  const ids = one !== undefined ? [one] : Array.isArray(i.ids) ? i.ids.filter((x): x is string => typeof x === "string") : undefined;
  return {
    ...(env.success ? { env: env.data, conn: findConnection(env.data) } : {}),
    ...(ids ? { ids: ids.map((x) => x.slice(0, 256)).slice(0, 1000) } : {}),
    ...(typeof i.teamId === "string" ? { teamId: i.teamId.slice(0, 64) } : {}),
    ...(typeof i.project === "string" ? { merged: true } : {}),
    rawEnv: i.env,
  };
}

/** The objects a parsed input names: `id`, `ids` or `container`; `project` reaches objects it does not name. */
function objectsNamed(input: unknown): { ids: string[]; merged: boolean } {
  const i = input as { id?: unknown; ids?: unknown; container?: unknown; project?: unknown };
  const one = typeof i.id === "string" ? i.id : typeof i.container === "string" ? i.container : undefined;
  const ids = one !== undefined ? [one] : Array.isArray(i.ids) ? i.ids.filter((x): x is string => typeof x === "string") : [];
  return { ids, merged: typeof i.project === "string" };
}

/** The object check of an `own` caller, its refusal recorded like any other. */
async function objectsAllowed(ctx: Context & { access: Access }, permission: Permission, target: AuthzTarget, input: unknown): Promise<void> {
  try {
    checkObjects(ctx.access, permission, target);
  } catch (err) {
    await auditRefusal(ctx, permission, target, err, input);
    throw err;
  }
}

/** A refusal by the authorisation layer is an audit entry (outcome "denied"); other errors are not refusals. */
async function auditRefusal(ctx: Context, permission: Permission, target: AuthzTarget, err: unknown, input: unknown): Promise<void> {
  if (!(err instanceof AccessDenied)) return;
  await recordDenial({
    userId: ctx.user?.id,
    username: ctx.user?.username,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent,
    action: permission,
    target: { ...(target.env ? { env: target.env } : {}), ...(target.ids?.length === 1 ? { id: target.ids[0] } : {}) },
    error: err.message,
    details: input,
  });
}

const guard = t.middleware(async ({ ctx, meta, type, next, getRawInput }) => {
  if (!meta?.permission) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "procedure has no permission declared" });
  }
  const permission = meta.permission;
  const input = await getRawInput().catch(() => undefined);
  const named = namedTarget(input);
  // An environment given but malformed is the input's error (named by zod), not an access question.
  const envMalformed = named.rawEnv !== undefined && !named.env;
  let access: Access;
  try {
    // Role and environment here, before the input is parsed; the objects it names once it is (envProcedure).
    const { ids: _ids, merged: _merged, ...roleTarget } = named;
    access = envMalformed && ruleOf(permission).scope === "env" ? await authorize(ctx.user, permission, {}) : await authorize(ctx.user, permission, roleTarget);
    if (ctx.via === "token" && !tokenMayUse(permission)) throw new AccessDenied(permission, SESSION_ONLY_MESSAGE);
    const pending = pendingStep(ctx.user);
    if (pending && !PENDING_ALLOWED.has(permission)) {
      throw new AccessDenied(permission, pending === "password" ? "Change your password first (an administrator reset it)." : "Set up two-factor sign-in first: it is required for your account.");
    }
  } catch (err) {
    await auditRefusal(ctx, permission, named, err, input);
    throw toTRPCError(err);
  }
  if (type !== "mutation" || UNAUDITED_MUTATIONS.has(permission)) return next({ ctx: { access } });

  // Audit first: the row exists before the action runs, or the action does not run.
  const fromInput = input as { id?: unknown; username?: unknown } | undefined;
  const target = (): AuditTarget => ({
    ...(named.env ? { env: named.env } : {}),
    ...(typeof fromInput?.id === "string" ? { id: fromInput.id } : {}),
    ...ctx.audit.target,
  });
  let auditId: number;
  try {
    auditId = await beginAudit({
      userId: ctx.user?.id,
      username: ctx.user?.username ?? (typeof fromInput?.username === "string" ? fromInput.username : undefined),
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      teamContext: ctx.user && ctx.user.role !== "admin" ? (await teamsOf(ctx.user.id)).map((t) => t.name).join(", ") || undefined : undefined,
      action: permission,
      target: target(),
      details: input,
    });
  } catch (err) {
    if (err instanceof AuditWriteError) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: err.message, cause: err });
    throw err;
  }
  // A Berth-owned change (auditedTransaction) seals this very entry in its own transaction.
  const result = await withPendingAudit(auditId, () => next({ ctx: { access } }));
  if (ctx.audit.discard) await discardAudit(auditId);
  else
    await finishAudit(auditId, {
      outcome: result.ok ? "ok" : "error",
      error: result.ok ? undefined : result.error.message,
      target: target(),
    });
  return result;
});

/** Maps every thrown error through server/errors.ts before tRPC sees it. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/** The only procedure builder: every procedure names the permission it needs. */
export function procedure(permission: Permission) {
  return t.procedure.meta({ permission }).use(guard).use(mapErrors);
}

/** An environment id: one schema for tRPC inputs and stream subscriptions (browser-safe, in the stream protocol). */
export { envIdSchema };

export const envInput = z.object({ env: envIdSchema });

/**
 * A procedure that touches an engine: its input is `{ env, …schema }`, and `env`
 * is resolved here into `ctx.conn` (runtime client, live cache); an unknown one
 * is NOT_FOUND naming `env`. The schema keeps its own refinements (an intersection,
 * not an extension), and strips `env` from its own output, so a runtime method's
 * schema passes through unchanged.
 */
export function envProcedure<S extends z.ZodObject = typeof envInput>(permission: Permission, schema?: S) {
  return procedure(permission)
    .input(z.intersection(envInput, schema ?? (envInput as unknown as S)))
    .use(async ({ input, ctx, meta, next }) => {
      // Objects first: whether the environment is connected is not for someone who may not see them.
      if (ctx.access.scope === "own") await objectsAllowed(ctx, meta!.permission, { env: input.env, conn: findConnection(input.env), ...objectsNamed(input) }, input);
      return next({ ctx: { conn: connection(input.env) } });
    });
}

/** A procedure's input without `env`, as the runtime's own method schema expects it. */
export function withoutEnv<T extends { env: string }>(input: T): Omit<T, "env"> {
  const { env: _env, ...rest } = input;
  return rest;
}
