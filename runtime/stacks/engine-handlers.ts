/**
 * The stack engine's methods, each in the file of its concern: deploy, rollback
 * and scale (deploy-handlers.ts over deploy.ts), list and get (list.ts), actions
 * and down (down.ts), versions and diff (versions.ts), adopt (adopt.ts).
 */
import type { EngineContext } from "../capability";
import { adoptHandlers } from "./adopt";
import { deployHandlers } from "./deploy-handlers";
import { downHandlers } from "./down";
import type { StacksHandlers } from "./handler-types";
import { listHandlers } from "./list";
import { versionHandlers } from "./versions";

type EngineMethods = "stacks.list" | "stacks.get" | "stacks.deploy" | "stacks.rollback" | "stacks.action" | "stacks.scale" | "stacks.down" | "stacks.versions" | "stacks.version" | "stacks.diff" | "stacks.adopt";

export function engineHandlers(ctx: EngineContext): StacksHandlers<EngineMethods> {
  return { ...listHandlers(ctx), ...deployHandlers(ctx), ...downHandlers(ctx), ...versionHandlers(ctx), ...adoptHandlers(ctx) };
}
