/**
 * tRPC context and procedures. Every procedure is built by `procedure(permission)`:
 * there is no other exported builder, so a procedure cannot exist without a
 * declared permission. The middleware here checks it and writes the audit row
 * of every mutation, in this one place.
 */
import type { IncomingMessage } from "node:http";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { writeAudit, type AuditTarget } from "./audit";
import { sessionUser, type SessionUser } from "./auth/session";
import { berthCodeOf, berthDetailsOf, toTRPCError } from "./errors";
import { publicPermissions, roleAllows, type Permission } from "./permissions";

export interface Context {
  user: SessionUser | null;
  sourceIp: string;
  /** Procedures fill this in so the audit row names the object (id and name). */
  audit: { target?: AuditTarget };
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

function fieldMessage(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : undefined;
      const firstPath = zod?.issues[0]?.path.join(".");
      return {
        ...shape,
        message: zod ? fieldMessage(zod) : shape.message,
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
  const result = await next();
  if (type === "mutation") {
    const input = await getRawInput().catch(() => undefined);
    const fromInput = input as { id?: string; name?: string } | undefined;
    const target: AuditTarget = {
      engine: "local",
      ...(fromInput?.id ? { id: String(fromInput.id) } : {}),
      ...ctx.audit.target,
    };
    await writeAudit({
      userId: ctx.user?.id,
      username: ctx.user?.username ?? (input as { username?: string } | undefined)?.username,
      sourceIp: ctx.sourceIp,
      action: permission,
      target,
      outcome: result.ok ? "ok" : "error",
      error: result.ok ? undefined : result.error.message,
      details: input,
    });
  }
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
