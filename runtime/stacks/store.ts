/**
 * Berth's copy of each stack on disk, in the runtime's data directory:
 * `stacks/NAME/compose.yaml` and `.env` (written atomically: a temp file then
 * a rename, so a crash never leaves half a file), and every deploy as a version
 * `stack-versions/NAME/N.json` (the newest MAX_VERSIONS kept). Every path is
 * built from a name checked here again, whatever the caller validated.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_NAME_PATTERN } from "../compose/model";
import { RuntimeFailure } from "../engine/errors";
import type { StackVersion, StackVersionSummary } from "./protocol";

export const MAX_VERSIONS = 100;
export const COMPOSE_FILE = "compose.yaml";
export const ENV_FILE = ".env";

function checkedName(name: string): string {
  if (name.length > 63 || !PROJECT_NAME_PATTERN.test(name)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "name", message: `name: "${name.slice(0, 80)}" is not a compose project name` });
  return name;
}

export const stacksRoot = (dataDir: string) => path.join(dataDir, "stacks");
export const stackDir = (dataDir: string, name: string) => path.join(stacksRoot(dataDir), checkedName(name));
export const versionsDir = (dataDir: string, name: string) => path.join(dataDir, "stack-versions", checkedName(name));
export const composePath = (dataDir: string, name: string) => path.join(stackDir(dataDir, name), COMPOSE_FILE);
export const envPath = (dataDir: string, name: string) => path.join(stackDir(dataDir, name), ENV_FILE);

export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  try {
    await fs.promises.writeFile(tmp, text, { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

export async function saveStackFiles(dataDir: string, name: string, file: string, env: string): Promise<void> {
  await fs.promises.mkdir(stackDir(dataDir, name), { recursive: true, mode: 0o700 });
  await writeAtomic(composePath(dataDir, name), file);
  await writeAtomic(envPath(dataDir, name), env);
}

/** Berth's copy of a stack's files; undefined when Berth has no folder for it. */
export async function readStackFiles(dataDir: string, name: string): Promise<{ file: string; env: string } | undefined> {
  let file: string;
  try {
    file = await fs.promises.readFile(composePath(dataDir, name), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const env = await fs.promises.readFile(envPath(dataDir, name), "utf8").catch(() => "");
  return { file, env };
}

/** The stacks Berth has files for. */
export async function stackFolders(dataDir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(stacksRoot(dataDir), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && e.name.length <= 63 && PROJECT_NAME_PATTERN.test(e.name) && fs.existsSync(path.join(stacksRoot(dataDir), e.name, COMPOSE_FILE)))
    .map((e) => e.name)
    .sort();
}

export async function removeStackFiles(dataDir: string, name: string): Promise<void> {
  await fs.promises.rm(stackDir(dataDir, name), { recursive: true, force: true });
  await fs.promises.rm(versionsDir(dataDir, name), { recursive: true, force: true });
}

async function versionNumbers(dataDir: string, name: string): Promise<number[]> {
  const files = await fs.promises.readdir(versionsDir(dataDir, name)).catch(() => [] as string[]);
  return files
    .map((f) => /^([1-9][0-9]{0,8})\.json$/.exec(f)?.[1])
    .filter((v): v is string => !!v)
    .map(Number)
    .sort((a, b) => a - b);
}

export async function readVersion(dataDir: string, name: string, version: number): Promise<StackVersion | undefined> {
  if (!Number.isSafeInteger(version) || version < 1) return undefined;
  try {
    return JSON.parse(await fs.promises.readFile(path.join(versionsDir(dataDir, name), `${version}.json`), "utf8")) as StackVersion;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** A version or NOT_FOUND naming `field`. */
export async function requireVersion(dataDir: string, name: string, version: number, field = "version"): Promise<StackVersion> {
  const v = await readVersion(dataDir, name, version);
  if (!v) throw new RuntimeFailure({ code: "NOT_FOUND", field, message: `${field}: stack ${name} has no version ${version}` });
  return v;
}

/** Newest first, without the file texts. */
export async function listVersions(dataDir: string, name: string): Promise<StackVersionSummary[]> {
  const out: StackVersionSummary[] = [];
  for (const n of (await versionNumbers(dataDir, name)).reverse()) {
    const v = await readVersion(dataDir, name, n);
    if (!v) continue;
    const { file: _f, env: _e, ...summary } = v;
    out.push(summary);
  }
  return out;
}

export async function latestVersion(dataDir: string, name: string): Promise<StackVersionSummary | undefined> {
  const nums = await versionNumbers(dataDir, name);
  const last = nums.at(-1);
  if (last === undefined) return undefined;
  const v = await readVersion(dataDir, name, last);
  if (!v) return undefined;
  const { file: _f, env: _e, ...summary } = v;
  return summary;
}

/** Records the next version and drops the oldest beyond MAX_VERSIONS. */
export async function recordVersion(dataDir: string, name: string, v: Omit<StackVersion, "version" | "at">): Promise<number> {
  const dir = versionsDir(dataDir, name);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const nums = await versionNumbers(dataDir, name);
  const version = (nums.at(-1) ?? 0) + 1;
  await writeAtomic(path.join(dir, `${version}.json`), JSON.stringify({ version, at: Date.now(), ...v }, null, 1));
  const drop = nums.length + 1 - MAX_VERSIONS;
  for (const n of nums.slice(0, Math.max(0, drop))) await fs.promises.rm(path.join(dir, `${n}.json`), { force: true });
  return version;
}

/** One operation at a time per stack (deploy, scale, down, adopt): their steps must not interleave. */
const locks = new Map<string, Promise<unknown>>();
export function withStackLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(name) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(fn);
  const tail = next.catch(() => undefined);
  locks.set(name, tail);
  void tail.then(() => {
    if (locks.get(name) === tail) locks.delete(name);
  });
  return next;
}

/** An env_file is a few KB; a larger file is refused rather than read into memory. */
export const MAX_STACK_FILE_READ = 1024 * 1024;

/** Reads a file of `folder` (after symlinks), at most MAX_STACK_FILE_READ bytes; undefined when it cannot or must not. */
export function stackFileReader(folder: string): (absolutePath: string) => string | undefined {
  return (absolutePath) => {
    try {
      const root = fs.realpathSync(folder);
      const real = fs.realpathSync(absolutePath);
      if (real !== root && !real.startsWith(root + path.sep)) return undefined;
      const stat = fs.statSync(real);
      if (!stat.isFile() || stat.size > MAX_STACK_FILE_READ) return undefined;
      return fs.readFileSync(real, "utf8");
    } catch {
      return undefined;
    }
  };
}
