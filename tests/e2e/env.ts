import fs from "node:fs";
import path from "node:path";

/** Where the e2e run keeps its Berth instance's files (inside the test run's temp dir). */
export function e2eDir(): string {
  const base = process.env.BERTH_TEST_DIR;
  if (!base) throw new Error("BERTH_TEST_DIR is not set: run the e2e tests through `npm test`");
  const dir = path.join(base, "e2e");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function baseUrl(): string {
  const url = process.env.BERTH_E2E_URL;
  if (!url) throw new Error("BERTH_E2E_URL is not set: run the e2e tests through `npm test`");
  return url;
}

export const setupTokenFile = () => path.join(e2eDir(), "setup-token");
export const ADMIN = { username: "admin", password: "correct horse battery staple" };
