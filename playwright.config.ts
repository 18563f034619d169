import path from "node:path";
import { defineConfig } from "@playwright/test";

const reports = process.env.BERTH_REPORT_DIR ?? "test-results";

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  globalTeardown: "./tests/e2e/global-teardown.ts",
  // The flows share one Berth instance and one engine: run them in order.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: path.join(reports, "e2e-artifacts"),
  reporter: [["list"], ["json", { outputFile: path.join(reports, "e2e.json") }]],
  use: {
    baseURL: process.env.BERTH_E2E_URL ?? "http://127.0.0.1:19000",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.BERTH_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
});
