/**
 * Compiles the dashboard's server, the runtime and the database check into
 * plain JavaScript beside Next's build (`<dist>/berth/*.mjs`), so production
 * runs no TypeScript loader: a loader costs start-up time and, in Node 20, a
 * second V8 isolate (its hooks thread) in every process.
 *
 * Usage: node server/bin/bundle.mjs [dist] (default $BERTH_NEXT_DIST or .next),
 * after `next build`. Packages stay external (node_modules is resolved from the
 * repository, as from source). The output records the BUILD_ID of the Next
 * build it belongs to: the start script compiles again when that changes. Files are written to a
 * temporary folder and renamed into place one by one (atomic), so a Berth
 * starting meanwhile never reads half a file.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.resolve(root, process.argv[2] || process.env.BERTH_NEXT_DIST || ".next");
const outDir = path.join(dist, "berth");
const tmpDir = `${outDir}.tmp-${process.pid}`;

/**
 * Modules find the repository (Next's app, migrations, the runtime's entry) from
 * their own import.meta.url. In one bundle every module shares the bundle's URL,
 * so each module's import.meta.url is rewritten to its source file's URL, taken
 * relative to the bundle: the output keeps working wherever the repository is.
 */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
      const rel = path.relative(outDir, args.path).split(path.sep).join("/");
      return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: "ts" };
    });
  },
};

fs.rmSync(tmpDir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    server: "server/main.ts",
    runtime: "runtime/main.ts",
    // Compose files are loaded in a worker thread (runtime/stacks/compose-pool.ts), from this file beside runtime.mjs.
    "compose-worker": "runtime/stacks/compose-worker.ts",
    "database-check": "server/bin/database-check.ts",
  },
  outdir: tmpDir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // The supervisor spawns the compiled runtime when it runs compiled itself.
  define: { "process.env.BERTH_COMPILED": '"1"' },
  plugins: [ownImportMetaUrl],
  logLevel: "warning",
});
fs.mkdirSync(outDir, { recursive: true });
for (const file of fs.readdirSync(tmpDir)) fs.renameSync(path.join(tmpDir, file), path.join(outDir, file));
// Last, so that an interrupted compile is compiled again at the next start.
fs.copyFileSync(path.join(dist, "BUILD_ID"), path.join(outDir, "BUILD_ID"));
fs.rmSync(tmpDir, { recursive: true, force: true });
