import { defineConfig } from "vitest/config";
import path from "node:path";
import { LINEAR_REGEXP_FLAGS } from "./runtime/logs/regexp-flags";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname) } },
  test: {
    // One private engine is shared; files run one after another so they do not race on it.
    fileParallelism: false,
    // The log search (runtime/logs/filter.ts) only loads under the runtime's regexp flags.
    poolOptions: { forks: { execArgv: [...LINEAR_REGEXP_FLAGS] } },
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
