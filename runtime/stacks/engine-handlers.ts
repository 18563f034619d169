/** The stack engine's methods: list, get, deploy, rollback, actions, scale, down, versions, diff, adopt. STUB. */
import type { EngineContext } from "../capability";
import { notBuilt, type StacksHandlers } from "./handler-types";

type EngineMethods = "stacks.list" | "stacks.get" | "stacks.deploy" | "stacks.rollback" | "stacks.action" | "stacks.scale" | "stacks.down" | "stacks.versions" | "stacks.version" | "stacks.diff" | "stacks.adopt";

export function engineHandlers(_ctx: EngineContext): StacksHandlers<EngineMethods> {
  const names: EngineMethods[] = ["stacks.list", "stacks.get", "stacks.deploy", "stacks.rollback", "stacks.action", "stacks.scale", "stacks.down", "stacks.versions", "stacks.version", "stacks.diff", "stacks.adopt"];
  return Object.fromEntries(names.map((n) => [n, notBuilt(n)])) as unknown as StacksHandlers<EngineMethods>;
}
