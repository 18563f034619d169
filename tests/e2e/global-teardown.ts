import fs from "node:fs";
import path from "node:path";
import { e2eDir } from "./env";

/** Stops Berth with SIGTERM, as Ctrl-C would, and checks it leaves nothing running. */
export default async function globalTeardown() {
  const pidFile = path.join(e2eDir(), "berth.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8"));
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, "SIGKILL");
  throw new Error("Berth did not stop within 15 s of SIGTERM");
}
