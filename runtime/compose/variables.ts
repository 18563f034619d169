/**
 * The variables a compose file uses, for the editor's hints: each with whether
 * .env sets it, whether the file gives a default (`${X:-d}`) and whether it is
 * required (`${X:?msg}`). Reads what it can: a file with errors still lists the
 * variables of the parts that parsed.
 */
import { interpolateTree, newContext, type VariableInfo } from "./interpolate";
import { readEnv } from "./load";
import { isRecord, parseYaml } from "./yaml-source";

export type { VariableInfo };

export function listVariables(file: string, env?: string): VariableInfo[] {
  const parsed = parseYaml(file);
  if (!parsed.ok) return [];
  const vars = readEnv(env);
  const ctx = newContext("vars" in vars ? vars.vars : new Map(), parsed.parsed.locs);
  const doc = parsed.parsed.value;
  if (!isRecord(doc)) return [];
  for (const key of ["name", "services", "networks", "volumes", "secrets", "configs"]) if (Object.hasOwn(doc, key)) interpolateTree(doc[key], key, ctx, key);
  return [...ctx.uses.values()].sort((a, b) => a.name.localeCompare(b.name));
}
