/**
 * The compose loader in a worker thread (see compose-pool.ts): a request is a
 * stack's name, file, .env and folder; the answer is the loader's details. The
 * folder's files are read here, through the one stack-folder reader.
 */
import { parentPort } from "node:worker_threads";
import { loadDetailed } from "../compose/load";
import { stackFileReader } from "./store";

export interface ComposeRequest {
  id: number;
  name: string;
  file: string;
  env: string;
  workingDir: string;
}

parentPort?.on("message", (req: ComposeRequest) => {
  try {
    const details = loadDetailed({ name: req.name, file: req.file, env: req.env, workingDir: req.workingDir, readFile: stackFileReader(req.workingDir) });
    parentPort!.postMessage({ id: req.id, details });
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
// Listening: the pool sends work only after this (and knows a worker that never says it could not start).
parentPort?.postMessage({ ready: true });
