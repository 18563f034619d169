/** A stack's file through the compose library, with the stack folder as its working directory. */
import { loadProject } from "../compose/load";
import type { ComposeProject } from "../compose/model";
import { RuntimeFailure } from "../engine/errors";
import { stackDir, stackFileReader } from "./store";

/** The project, or BAD_REQUEST on `field` with the loader's line/key messages. */
export function loadStack(dataDir: string, name: string, file: string, env: string, field = "file"): ComposeProject {
  const result = loadProject({
    name,
    file,
    env,
    workingDir: stackDir(dataDir, name),
    readFile: stackFileReader(stackDir(dataDir, name)),
  });
  if (result.ok) return result.project;
  const shown = result.errors.slice(0, 5).map((e) => e.message);
  const more = result.errors.length > 5 ? ` (and ${result.errors.length - 5} more)` : "";
  throw new RuntimeFailure({ code: "BAD_REQUEST", field, message: `${field}: ${shown.join("; ")}${more}` });
}

