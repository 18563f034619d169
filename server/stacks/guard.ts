/**
 * What the dashboard checks before a stack reaches the runtime's deploy: the
 * environment's security settings on every service (a stack is containers: a
 * bind mount or `privileged` in a compose file is refused to a non-administrator
 * exactly as in the create form), then the preflight. A failed preflight blocks
 * the deploy unless the caller overrides it; the audit entry keeps the override
 * and the checks that failed.
 */
import crypto from "node:crypto";
import { composeErrorsText } from "~/runtime/compose/model";
import type { PreflightResult, StackCheckResult, stacksMethods } from "~/runtime/stacks/protocol";
import type { z } from "zod";
import { BerthError } from "../errors";
import type { Connection } from "../engines/registry";
import type { RegistryAuth } from "~/runtime/protocol/registry-auth";
import { registryAuthFor, registryConfigForBuild } from "../registries/credentials";
import { checkCreateSpec } from "../security/enforce";
import type { SecurityUser } from "../security/settings";

/**
 * What the audit entry says of a compose file: its size and digest, not its text (a file may
 * write passwords in `environment:`; the text is kept in the stack's versions, read with stack.list).
 */
export function fileAudit(file: string, dotenv: string): { file: { bytes: number; sha256: string }; dotenvVariables: number } {
  return {
    file: { bytes: Buffer.byteLength(file), sha256: crypto.createHash("sha256").update(file).digest("hex") },
    dotenvVariables: dotenv.split("\n").filter((l) => l.includes("=") && !l.trimStart().startsWith("#")).length,
  };
}

type PreflightTarget = z.input<(typeof stacksMethods)["stacks.preflight"]>["target"];

export interface GuardInput {
  name: string;
  file: string;
  env: string;
  /** Deploy although the preflight failed (audited). */
  override: boolean;
}

export interface GuardOutcome {
  check: StackCheckResult;
  preflight: PreflightResult;
  /** The failed checks that were overridden (for the audit entry). */
  overridden: string[];
  /** Credentials Berth holds for the registries of the stack's images (for the runtime's pulls; never audited). */
  auths: Record<string, RegistryAuth>;
  /** Every saved login, when a service is built here (its FROM may name a private registry); else absent. */
  registryConfig?: string;
}

/** Each image's registry login, when Berth has one: a stack pulls from private registries as `docker pull` would. */
async function authsFor(check: StackCheckResult): Promise<Record<string, RegistryAuth>> {
  const out: Record<string, RegistryAuth> = Object.create(null);
  for (const image of new Set(check.services.flatMap((s) => (s.image ? [s.image] : [])))) {
    const auth = await registryAuthFor(image);
    if (auth) out[image] = auth;
  }
  return { ...out };
}

/** The first error of a file that does not load, as a BAD_REQUEST naming `file` (the message names line and key). */
function fileError(check: StackCheckResult): BerthError {
  return new BerthError("BAD_REQUEST", `file: ${composeErrorsText(check.errors)}`, { field: "file" });
}

export async function guardStackDeploy(user: SecurityUser | null, envId: string, conn: Connection, input: GuardInput): Promise<GuardOutcome> {
  const check = await conn.runtime.call("stacks.check", { name: input.name, file: input.file, env: input.env });
  if (!check.ok) throw fileError(check);
  for (const s of check.services) {
    try {
      await checkCreateSpec(user, envId, conn, s.spec as Record<string, unknown>);
    } catch (err) {
      // Name the service: the refusal names the RunSpec's field (`volumes[0].source`), the person wrote services.NAME.
      if (err instanceof BerthError) throw new BerthError(err.code, `services.${s.name}: ${err.message}`, { field: "file", cause: err });
      throw err;
    }
  }
  const { preflight, overridden } = await preflightGate(conn, { kind: "stack", name: input.name, file: input.file, env: input.env }, input.override);
  const registryConfig = check.services.some((s) => s.build) ? await registryConfigForBuild() : undefined;
  return { check, preflight, overridden, auths: await authsFor(check), ...(registryConfig ? { registryConfig } : {}) };
}

/**
 * Runs the preflight (a stack or one container) and refuses a failed one unless
 * overridden: BAD_REQUEST on `override`, naming each failed check and its fix.
 * Answers the result and the titles of the checks that were overridden (for the audit).
 */
export async function preflightGate(conn: Connection, target: PreflightTarget, override: boolean): Promise<{ preflight: PreflightResult; overridden: string[] }> {
  const preflight = await conn.runtime.call("stacks.preflight", { target });
  const failed = preflight.checks.filter((c) => c.status === "fail");
  if (failed.length > 0 && !override) {
    throw new BerthError(
      "BAD_REQUEST",
      `override: the preflight failed: ${failed.map((c) => `${c.title}: ${c.message}${c.fix ? ` (fix: ${c.fix})` : ""}`).join("; ")}. Fix it, or deploy anyway with override.`,
      { field: "override" },
    );
  }
  return { preflight, overridden: failed.map((c) => c.title) };
}
