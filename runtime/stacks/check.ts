/**
 * `stacks.check` and `stacks.convertRun`, over the compose library (runtime/compose/).
 *
 * check: the file as it is typed, against the stack's folder
 * (`<dataDir>/stacks/<name>`): env_file, secrets and configs are read only from
 * inside it (a symlink leading out is refused, reads are bounded), never from
 * anywhere else on the host.
 */
import type { EngineContext } from "../capability";
import { fromRunSpec } from "../compose/from-run-spec";
import { RuntimeFailure } from "../engine/errors";
import { parseDockerRun } from "../run-spec/parse-command";
import type { StacksHandlers } from "./handler-types";
import { loadInWorker } from "./compose-pool";
import { stackDir } from "./store";

export function checkHandlers(ctx: EngineContext): StacksHandlers<"stacks.check" | "stacks.convertRun"> {
  return {
    "stacks.check": async ({ name, file, env }) => {
      const workingDir = stackDir(ctx.dataDir, name);
      const d = await loadInWorker({ name, file, env, workingDir });
      const services = d.result.ok
        ? d.result.project.services.map((s) => ({ name: s.name, image: s.spec.image, replicas: s.replicas, spec: s.spec, build: !!s.build }))
        : [];
      return {
        ok: d.result.ok,
        errors: d.result.ok ? [] : d.result.errors,
        warnings: d.warnings,
        interpolated: d.interpolated,
        services,
        variables: d.variables,
      };
    },
    "stacks.convertRun": async ({ command, service }) => {
      const parsed = parseDockerRun(command);
      if (parsed.errors.length > 0) {
        throw new RuntimeFailure({ code: "BAD_REQUEST", field: "command", message: `command: ${parsed.errors.map((e) => e.message).join("; ")}` });
      }
      const out = fromRunSpec(parsed.spec, service);
      const caveats = [
        ...parsed.warnings.map((w) => w.message),
        ...parsed.ignoredFlags.map((f) => `${f} only changes what the docker CLI does: it has no compose key`),
        ...out.caveats,
      ];
      return { service: out.service, yaml: out.yaml, caveats };
    },
  };
}
