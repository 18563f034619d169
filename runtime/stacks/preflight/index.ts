/**
 * `stacks.preflight`: the checks before a stack or a template is deployed, as a
 * checklist where every failure carries a fix a person can act on. Host ports
 * free, image present or pullable, memory (limits and Java heap), vm.max_map_count
 * for Elasticsearch/OpenSearch, name conflicts (containers, project, subnets,
 * static addresses).
 *
 * The checks run concurrently and each is bounded in time; an engine problem
 * becomes a check that says what could not be checked, never a thrown error,
 * so the method answers in a few seconds even from a struggling engine.
 */
import type { EngineContext } from "../../capability";
import type { ComposeError } from "../../compose/model";
import type { StacksHandlers } from "../handler-types";
import type { PreflightCheck, PreflightResult } from "../protocol";
import { engineFacts, engineIsLocal } from "./facts";
import { imageChecks } from "./image";
import { maxMapCountCheck } from "./max-map-count";
import { memoryChecks, memoryFacts } from "./memory";
import { nameChecks } from "./names";
import { type Plan, planFromProject, planFromSpec } from "./plan";
import { portChecks } from "./ports";
import { loadInWorker } from "../compose-pool";
import { stackDir } from "../store";

/** A check that threw (a bug, not the engine): reported, so the other checks still answer. */
const crashed = (what: string) => (err: unknown): PreflightCheck[] => [
  { id: `${what}:error`, title: `The ${what} check`, status: "warn", message: `could not run: ${err instanceof Error ? err.message : String(err)}` },
];

export async function runPreflight(ctx: EngineContext, plan: Plan): Promise<PreflightResult> {
  const facts = engineFacts(ctx.docker);
  const local = engineIsLocal(ctx.engine.host, facts);
  const groups = await Promise.all([
    local.then((probe) => portChecks(plan, facts, probe)).catch(crashed("ports")),
    imageChecks(plan, ctx.docker, facts).catch(crashed("image")),
    local.then((here) => memoryFacts(facts, here)).then((mem) => memoryChecks(plan, mem)).catch(crashed("memory")),
    maxMapCountCheck(plan, ctx.docker).catch(crashed("vm.max_map_count")),
    nameChecks(plan, ctx.docker, facts, ctx.dataDir).catch(crashed("names")),
  ]);
  const checks = groups.flat();
  return { ok: checks.every((c) => c.status !== "fail"), checks };
}

export function preflightHandlers(ctx: EngineContext): StacksHandlers<"stacks.preflight"> {
  return {
    "stacks.preflight": async ({ target }) => {
      if (target.kind === "container") return runPreflight(ctx, planFromSpec(target.spec));
      const workingDir = stackDir(ctx.dataDir, target.name);
      const loaded = (await loadInWorker({ name: target.name, file: target.file, env: target.env, workingDir })).result;
      if (!loaded.ok) {
        return {
          ok: false,
          checks: [{
            id: "file",
            title: "The compose file loads",
            status: "fail",
            message: loaded.errors.map((e: ComposeError) => e.message).join("\n"),
            fix: "correct the file at the lines named, then run the checks again",
          }],
        };
      }
      return runPreflight(ctx, planFromProject(loaded.project));
    },
  };
}
