/**
 * stacks.adopt: a project the compose CLI started, imported so Berth manages it.
 * Its containers name the files it was started from (config_files, working_dir):
 * the first file and the `.env` beside it in working_dir are copied into Berth's
 * folder and recorded as version 1 with the images the running containers use.
 * The containers are not touched; a later Update relabels (recreates) them.
 */
import fs from "node:fs";
import path from "node:path";
import type { EngineContext } from "../capability";
import { RuntimeFailure } from "../engine/errors";
import type { StacksHandlers } from "./handler-types";
import { adoptability, cliOrigin } from "./list";
import { loadStack } from "./load-stack";
import { projectContainers } from "./project-state";
import { MAX_COMPOSE_BYTES, MAX_ENV_BYTES } from "./protocol";
import { pinnedImage } from "./resources";
import { readStackFiles, recordVersion, saveStackFiles, withStackLock } from "./store";

function insideDataDir(dataDir: string, file: string): boolean {
  try {
    const root = fs.realpathSync(dataDir);
    const real = fs.realpathSync(file);
    return real === root || real.startsWith(root + path.sep);
  } catch {
    return false;
  }
}

function readBounded(file: string, max: number, what: string): string {
  const size = fs.statSync(file).size;
  if (size > max) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "name", message: `name: ${what} ${file} is larger than ${max / 1024} KB` });
  return fs.readFileSync(file, "utf8");
}

export function adoptHandlers(ctx: EngineContext): StacksHandlers<"stacks.adopt"> {
  return {
    "stacks.adopt": ({ name, owner }) =>
      withStackLock(name, async () => {
        if (await readStackFiles(ctx.dataDir, name)) throw new RuntimeFailure({ code: "CONFLICT", field: "name", message: `name: Berth already manages a stack named ${name}` });
        const containers = await projectContainers(ctx.docker, name);
        if (containers.length === 0) throw new RuntimeFailure({ code: "NOT_FOUND", field: "name", message: `name: no compose project ${name} on this engine` });
        const origin = cliOrigin(containers);
        const can = adoptability(origin);
        if (!can.adoptable) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "name", message: `name: cannot adopt ${name}: ${can.adoptHint}` });
        const first = origin.configFiles![0];
        // Labels are anyone's to write (docker run --label): never import Berth's own files as a "compose file".
        if (insideDataDir(ctx.dataDir, first)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "name", message: `name: cannot adopt ${name}: its compose file is in Berth's data directory` });
        const file = readBounded(first, MAX_COMPOSE_BYTES, "the compose file");
        const envFile = path.join(origin.workingDir ?? path.dirname(first), ".env");
        let env = "";
        try {
          if (!insideDataDir(ctx.dataDir, envFile)) env = readBounded(envFile, MAX_ENV_BYTES, "the .env file");
        } catch (err) {
          if (err instanceof RuntimeFailure) throw err;
        }
        // Only a file Berth can deploy becomes its stack (the errors name line and key, not the file's text).
        await loadStack(ctx.dataDir, name, file, env);
        const digests: Record<string, string> = {};
        for (const c of containers.filter((x) => !x.oneoff).sort((a, b) => a.number - b.number)) {
          if (c.service && !digests[c.service]) digests[c.service] = await pinnedImage(ctx.docker, c.image, c.imageId);
        }
        await saveStackFiles(ctx.dataDir, name, file, env);
        const version = await recordVersion(ctx.dataDir, name, { ...(owner ? { by: owner } : {}), action: "adopt", file, env, digests });
        return { name, version, file };
      }),
  };
}
