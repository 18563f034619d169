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
import { AuditWriteError, beginAudit, discardAudit, finishAudit, type AuditTarget } from "../audit";
import { sessionUser, type SessionUser } from "../auth/session";
import { berthCodeOf, berthDetailsOf, toTRPCError } from "../errors";
import { connection } from "../engines/registry";
import { describeIssues, firstIssue } from "../../runtime/protocol/zod-issues";
import { envIdSchema } from "../realtime/protocol";
import { publicPermissions, roleAllows, type Permission } from "./permissions";

export interface Context {
  user: SessionUser | null;
  sourceIp: string;
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
  return { user: await sessionUser(req), sourceIp: clientIp(req), audit: {} };
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

const guard = t.middleware(async ({ ctx, meta, type, next, getRawInput }) => {
  if (!meta?.permission) {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "procedure has no permission declared" });
  }
  const permission = meta.permission;
  if (!publicPermissions.has(permission)) {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    if (!roleAllows(ctx.user.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Your role may not ${permission}.` });
    }
  }
  if (type !== "mutation") return next();

  // Audit first: the row exists before the action runs, or the action does not run.
  const input = await getRawInput().catch(() => undefined);
  const fromInput = input as { id?: unknown; username?: unknown; env?: unknown } | undefined;
  // The environment as asked for (checked here too: a malformed one is not worth recording).
  const env = envIdSchema.safeParse(fromInput?.env);
  const target = (): AuditTarget => ({
    ...(env.success ? { env: env.data } : {}),
    ...(typeof fromInput?.id === "string" ? { id: fromInput.id } : {}),
    ...ctx.audit.target,
  });
  let auditId: number;
  try {
    auditId = await beginAudit({
      userId: ctx.user?.id,
      username: ctx.user?.username ?? (typeof fromInput?.username === "string" ? fromInput.username : undefined),
      sourceIp: ctx.sourceIp,
      action: permission,
      target: target(),
      details: input,
    });
  } catch (err) {
    if (err instanceof AuditWriteError) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: err.message, cause: err });
    throw err;
  }
  const result = await next();
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
    .use(({ input, next }) => next({ ctx: { conn: connection(input.env) } }));
}

/** A procedure's input without `env`, as the runtime's own method schema expects it. */
export function withoutEnv<T extends { env: string }>(input: T): Omit<T, "env"> {
  const { env: _env, ...rest } = input;
  return rest;
}
