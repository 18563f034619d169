/**
 * Creating a stack: the name is free, the file passes the security settings and
 * the preflight (guard.ts), then the stack's ownership row is written and the
 * runtime deploys it as a task whose containers carry the row's id. One function
 * for the stacks router's `create` and the templates router's `deployStack`.
 */
import type { pullPolicies } from "~/runtime/stacks/protocol";
import type { AccessInput } from "../authz/container-ownership";
import { createOwned } from "../authz/container-ownership";
import { BerthError } from "../errors";
import type { Context } from "../api/trpc";
import type { Connection } from "../engines/registry";
import type { Access } from "../authz/authorize";
import { fileAudit, guardStackDeploy } from "./guard";

export interface CreateStackInput {
  /** The environment's id. */
  envId: string;
  name: string;
  file: string;
  /** The `.env` text. */
  dotenv: string;
  pull: (typeof pullPolicies)[number];
  override: boolean;
  access?: AccessInput;
  /** Extra details for the audit entry (e.g. the template deployed). */
  details?: Record<string, unknown>;
}

export type StackContext = Context & { conn: Connection; access: Access };

export async function createStack(ctx: StackContext, input: CreateStackInput) {
  ctx.audit.target = { type: "stack", id: input.name, name: input.name };
  ctx.audit.details = { ...input.details, ...fileAudit(input.file, input.dotenv), pull: input.pull };
  const existing = (await ctx.conn.runtime.call("stacks.list", {})).find((s) => s.name === input.name);
  if (existing) {
    throw new BerthError("CONFLICT", `name: a stack named "${input.name}" exists already${existing.source === "cli" ? " (started with the compose CLI: adopt it instead)" : ""}`, { field: "name" });
  }
  const guard = await guardStackDeploy(ctx.user, input.envId, ctx.conn, { name: input.name, file: input.file, env: input.dotenv, override: input.override });
  ctx.audit.details = { ...input.details, ...fileAudit(input.file, input.dotenv), pull: input.pull, ...(guard.overridden.length ? { override: true, failedChecks: guard.overridden } : {}) };
  return createOwned({
    env: input.envId,
    type: "stack",
    userId: ctx.user!.id,
    role: ctx.access.role,
    access: input.access,
    create: async (controlId) => {
      const started = await ctx.conn.runtime.call("stacks.deploy", {
        name: input.name, file: input.file, env: input.dotenv, pull: input.pull, owner: { id: ctx.user!.id, name: ctx.user!.username }, controlId, auths: guard.auths, registryConfig: guard.registryConfig,
        removeOrphans: false, forceRecreate: false,
      });
      return { id: input.name, ...started };
    },
  });
}
