/** A stack's file through the compose library, with the stack folder as its working directory. */
import { composeErrorsText, type ComposeProject } from "../compose/model";
import { RuntimeFailure } from "../engine/errors";
import { loadInWorker } from "./compose-pool";
import { stackDir } from "./store";

/** The project, or BAD_REQUEST on `field` with the loader's line/key messages. */
export async function loadStack(dataDir: string, name: string, file: string, env: string, field = "file"): Promise<ComposeProject> {
  const { result } = await loadInWorker({ name, file, env, workingDir: stackDir(dataDir, name) });
  if (result.ok) return result.project;
  throw new RuntimeFailure({ code: "BAD_REQUEST", field, message: `${field}: ${composeErrorsText(result.errors)}` });
}

