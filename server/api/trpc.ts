/**
 * tRPC context and procedures. Every procedure is built by `procedure(permission)`:
 * there is no other exported builder, so a procedure cannot exist without a
 * declared permission. The middleware here checks it and writes the audit row
 * of every mutation, in this one place, before the mutation runs: a mutation
 * whose row cannot be written is refused and does not run.
 */
import type { IncomingMessage } from "node:http";
import { initTRPC, TRPCError } from "@trpc/server";
import { wireTransformer } from "./wire-transformer";
import { z, ZodError } from "zod";
import { AuditWriteError, beginAudit, discardAudit, finishAudit, UNAUDITED_MUTATIONS, withPendingAudit, type AuditTarget } from "../audit";
import { sessionUser, type SessionUser } from "../auth/session";
import { tokenUser } from "../auth/api-token";
import { berthCodeOf, berthDetailsOf, toTRPCError } from "../errors";
import { connection, findConnection } from "../engines/registry";
import type { Access } from "../authz/authorize";
import { authorizeObjects, authorizeRequest, type Requester } from "../authz/request-access";
import { teamsOf } from "../authz/roles";
import { describeIssues, firstIssue } from "../../runtime/protocol/zod-issues";
import { envIdSchema } from "../realtime/protocol";
import type { Permission } from "./permissions";

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
   * `details`: what the action did (a prune's per-item results), written over the input when it ends.
   */
  audit: { target?: AuditTarget; discard?: boolean; details?: unknown };
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
    transformer: wireTransformer,
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
function namedTarget(input: unknown): { env?: string; teamId?: string; id?: string } {
  const i = (input && typeof input === "object" ? input : {}) as { env?: unknown; teamId?: unknown };
  const env = envIdSchema.safeParse(i.env);
  const { ids } = objectsNamed(i);
  return {
    ...(env.success ? { env: env.data } : {}),
    ...(typeof i.teamId === "string" ? { teamId: i.teamId.slice(0, 64) } : {}),
    // Only to name the object in a refusal's audit entry (the objects are checked once the input is parsed).
    ...(ids.length === 1 ? { id: ids[0]!.slice(0, 256) } : {}),
  };
}

/** The objects a parsed input names: `id`, `ids` or `container`; `project` reaches objects it does not name. */
function objectsNamed(input: unknown): { ids: string[]; merged: boolean } {
  const i = input as { id?: unknown; ids?: unknown; container?: unknown; project?: unknown };
  const one = typeof i.id === "string" ? i.id : typeof i.container === "string" ? i.container : undefined;
  const ids = one !== undefined ? [one] : Array.isArray(i.ids) ? i.ids.filter((x): x is string => typeof x === "string") : [];
  return { ids, merged: typeof i.project === "string" };
}

/** How the caller is known to the authorisation layer (for the audit entry of a refusal). */
function requester(ctx: Context, input: unknown, id?: string): Requester {
  return { sourceIp: ctx.sourceIp, userAgent: ctx.userAgent, via: ctx.via, refused: { id, details: input } };
}

const guard = t.middleware(async ({ ctx, meta, type, next, getRawInput }) => {
  if (!meta?.permission) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "procedure has no permission declared" });
  }
  const permission = meta.permission;
  const input = await getRawInput().catch(() => undefined);
  const named = namedTarget(input);
  let access: Access;
  try {
    // Role and environment here, before the input is parsed; the objects it names once it is (envProcedure).
    // A malformed environment counts as none named: refused to non-administrators (but for the list of environments).
    const target = { ...(named.env ? { env: named.env, conn: findConnection(named.env) } : {}), ...(named.teamId ? { teamId: named.teamId } : {}) };
    access = await authorizeRequest(ctx.user, permission, target, requester(ctx, input, named.id));
  } catch (err) {
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
      // What the action did, when the procedure says (replaces the input as the entry's details).
      details: ctx.audit.details,
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
      if (ctx.access.scope === "own") {
        await authorizeObjects(ctx.user, ctx.access, meta!.permission, { env: input.env, conn: findConnection(input.env), ...objectsNamed(input) }, requester(ctx, input));
      }
      return next({ ctx: { conn: connection(input.env) } });
    });
}

/** A procedure's input without `env`, as the runtime's own method schema expects it. */
export function withoutEnv<T extends { env: string }>(input: T): Omit<T, "env"> {
  const { env: _env, ...rest } = input;
  return rest;
}
