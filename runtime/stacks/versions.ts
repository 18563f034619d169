/**
 * stacks.versions, stacks.version and stacks.diff: the recorded deploys of a
 * stack, one in full, and what changed between two (a line diff of the file
 * and of .env, and each service's pinned image).
 */
import { diffLines } from "diff";
import type { EngineContext } from "../capability";
import { RuntimeFailure } from "../engine/errors";
import type { StacksHandlers } from "./handler-types";
import type { DiffLine, StackDiff } from "./protocol";
import { listVersions, readStackFiles, requireVersion } from "./store";

/** Lines of `a` → `b` with each line's number in the older and newer text. */
export function lineDiff(a: string, b: string): DiffLine[] {
  const out: DiffLine[] = [];
  let la = 1;
  let lb = 1;
  for (const part of diffLines(a, b)) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    for (const text of lines) {
      if (part.added) out.push({ op: "add", text, b: lb++ });
      else if (part.removed) out.push({ op: "remove", text, a: la++ });
      else out.push({ op: "same", text, a: la++, b: lb++ });
    }
  }
  return out;
}

export function versionHandlers(ctx: EngineContext): StacksHandlers<"stacks.versions" | "stacks.version" | "stacks.diff"> {
  const known = async (name: string) => {
    const versions = await listVersions(ctx.dataDir, name);
    if (versions.length === 0 && !(await readStackFiles(ctx.dataDir, name)))
      throw new RuntimeFailure({ code: "NOT_FOUND", field: "name", message: `name: Berth has no stack ${name}` });
    return versions;
  };
  return {
    "stacks.versions": ({ name }) => known(name),
    "stacks.version": async ({ name, version }) => {
      await known(name);
      return requireVersion(ctx.dataDir, name, version);
    },
    "stacks.diff": async ({ name, from, to }): Promise<StackDiff> => {
      await known(name);
      const a = await requireVersion(ctx.dataDir, name, from, "from");
      const b = await requireVersion(ctx.dataDir, name, to, "to");
      const services = [...new Set([...Object.keys(a.digests), ...Object.keys(b.digests)])].sort();
      return {
        from,
        to,
        file: lineDiff(a.file, b.file),
        env: lineDiff(a.env, b.env),
        digests: services
          .filter((s) => a.digests[s] !== b.digests[s])
          .map((s) => ({ service: s, ...(a.digests[s] ? { from: a.digests[s] } : {}), ...(b.digests[s] ? { to: b.digests[s] } : {}) })),
      };
    },
  };
}
