/** A stack's file through the compose library, with the stack folder as its working directory. */
import type { ComposeProject } from "../compose/model";
import { RuntimeFailure } from "../engine/errors";
import { loadInWorker } from "./compose-pool";
import { stackDir } from "./store";

/** The project, or BAD_REQUEST on `field` with the loader's line/key messages. */
export async function loadStack(dataDir: string, name: string, file: string, env: string, field = "file"): Promise<ComposeProject> {
  const { result } = await loadInWorker({ name, file, env, workingDir: stackDir(dataDir, name) });
  if (result.ok) return result.project;
  const shown = result.errors.slice(0, 5).map((e) => e.message);
  const more = result.errors.length > 5 ? ` (and ${result.errors.length - 5} more)` : "";
  throw new RuntimeFailure({ code: "BAD_REQUEST", field, message: `${field}: ${shown.join("; ")}${more}` });
}

