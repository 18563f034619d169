/**
 * Starts the shared Berth of the e2e run exactly as the README's start command
 * does, with a fresh data directory, against the private test engine.
 */
import fs from "node:fs";
import path from "node:path";
import { startBerth } from "../support/start-berth";
import { baseUrl, e2eDir, setupTokenFile } from "./env";

export default async function globalSetup() {
  const dir = e2eDir();
  const berth = await startBerth({ dir, port: Number(new URL(baseUrl()).port) });
  fs.writeFileSync(path.join(process.env.BERTH_TEST_DIR!, "berth-e2e.pid"), String(berth.child.pid));
  fs.writeFileSync(path.join(dir, "berth.pid"), String(berth.child.pid));
  fs.writeFileSync(setupTokenFile(), berth.token);
}
