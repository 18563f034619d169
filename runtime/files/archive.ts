/**
 * The Engine's archive endpoints (what `docker cp` uses), for one container:
 * stat a path (HEAD), list a directory's first level, stream a file or folder
 * out as a tar, and stream a tar in. Works on running and stopped containers
 * alike. Volumes use the same functions on their helper container
 * (volume-helper.ts), with paths under /volume.
 */
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { FileEntry, FileListing, FileType } from "./protocol";
import { TarError, type TarHeader, TarParser } from "./tar-parser";

/** The engine's stat of a path (X-Docker-Container-Path-Stat). */
export interface PathStat {
  name: string;
  size: number;
  /** Go's os.FileMode: type bits high, permission bits low. */
  mode: number;
  mtime: string;
  /** For a symlink: the absolute path it resolves to in the container. */
  linkTarget: string;
}

const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
/** Every type bit of os.FileMode (dir, append, exclusive, temporary, symlink, device, pipe, socket, setuid…, char device, sticky, irregular). */
const MODE_TYPE = MODE_DIR | MODE_SYMLINK | 2 ** 26 | 2 ** 25 | 2 ** 24 | 2 ** 21 | 2 ** 19;

export function statType(stat: PathStat): FileType {
  if ((stat.mode & MODE_DIR) !== 0) return "dir";
  if ((stat.mode & MODE_SYMLINK) !== 0) return "symlink";
  return (stat.mode & MODE_TYPE) === 0 ? "file" : "other";
}

/** At most this many entries of the first level are returned. */
export const MAX_LIST_ENTRIES = 5000;
/** At most this many entries (all levels) are read before a listing stops. */
export const MAX_SCANNED_ENTRIES = 100_000;
/** A listing reads the folder's whole archive, file contents included: it stops after this much, or this long (within its 2-minute deadline). */
export const MAX_LIST_BYTES = 2 * 1024 ** 3;
export const MAX_LIST_MS = 90_000;

/** How a path is shown in messages and answers (a volume's helper shows `/volume/x` as `/x`). */
export interface View {
  /** `container web` or `volume data`. */
  subject: string;
  shown: (enginePath: string) => string;
}

/** HEAD /archive: the path's stat; NOT_FOUND naming `field` when it does not exist. */
export async function statPath(docker: Docker, id: string, path: string, view: View, field = "path"): Promise<PathStat> {
  let res: { headers: Record<string, string | string[] | undefined>; resume?: () => void };
  try {
    res = (await docker.getContainer(id).infoArchive({ path })) as typeof res;
  } catch (err) {
    throw await notFound(docker, id, err, path, view, field);
  }
  res.resume?.();
  const raw = res.headers["x-docker-container-path-stat"];
  try {
    return JSON.parse(Buffer.from(String(raw), "base64").toString("utf8")) as PathStat;
  } catch {
    throw new RuntimeFailure({ code: "INTERNAL", message: `${view.subject}: the engine's answer about ${view.shown(path)} could not be read` });
  }
}

/** The stat of a directory at `path`, following one symlink; BAD_REQUEST naming `field` when it is not a directory. */
export async function statDir(docker: Docker, id: string, path: string, view: View, field = "path"): Promise<{ dir: string; stat: PathStat }> {
  let stat = await statPath(docker, id, path, view, field);
  let dir = path;
  if (statType(stat) === "symlink" && stat.linkTarget) {
    dir = stat.linkTarget;
    stat = await statPath(docker, id, dir, view, field);
  }
  if (statType(stat) !== "dir") {
    throw new RuntimeFailure({ code: "BAD_REQUEST", field, message: `${field}: ${view.shown(path)} is not a directory` });
  }
  return { dir, stat };
}

/** GET /archive: the tar of `path` as the engine streams it. */
export async function openArchive(docker: Docker, id: string, path: string, view: View, field = "path"): Promise<Readable> {
  try {
    return (await docker.getContainer(id).getArchive({ path })) as unknown as Readable;
  } catch (err) {
    throw await notFound(docker, id, err, path, view, field);
  }
}

/**
 * The engine answers 404 both for a missing container and a missing path (HEAD
 * has no body to tell them apart): asks which, and words it on the right field.
 */
async function notFound(docker: Docker, id: string, err: unknown, path: string, view: View, field: string): Promise<RuntimeFailure> {
  const e = toRuntimeError(err, view.subject);
  if (e.code !== "NOT_FOUND") return new RuntimeFailure(e);
  const exists = await docker.getContainer(id).inspect().then(() => true, () => false);
  if (!exists) return new RuntimeFailure({ code: "NOT_FOUND", field: "id", message: `id: no ${view.subject}` });
  return new RuntimeFailure({ code: "NOT_FOUND", field, message: `${field}: ${view.shown(path)} does not exist in ${view.subject}` });
}

function entryType(h: TarHeader): FileType {
  switch (h.type) {
    case "directory":
      return "dir";
    case "symlink":
      return "symlink";
    case "file":
    case "link":
      return "file";
    default:
      return "other";
  }
}

/**
 * The first level of directory `dir` (already known to be one), read from its
 * archive as a stream: every entry's header is read and its data skipped; the
 * stream is destroyed as soon as MAX_LIST_ENTRIES first-level entries or
 * MAX_SCANNED_ENTRIES entries in all have been read (the answer then says so).
 */
export async function listDirectory(docker: Docker, id: string, dir: string, view: View): Promise<FileListing> {
  // `dir/.` makes the engine name entries `./child`, whatever the directory is called.
  const stream = await openArchive(docker, id, dir === "/" ? "/." : `${dir}/.`, view);
  const entries: FileEntry[] = [];
  let scanned = 0;
  let stopped: string | undefined;
  const parser = new TarParser({
    entry: (h) => {
      // The rest of the chunk being parsed is ignored once the listing has stopped.
      if (h.type === "pax-global" || stopped) return;
      scanned++;
      const parts = h.name.split("/").filter((p) => p !== "" && p !== ".");
      if (parts.length === 1) {
        entries.push({
          name: parts[0]!,
          type: entryType(h),
          size: h.type === "file" ? h.size : 0,
          mode: h.mode,
          mtime: new Date(h.mtime * 1000).toISOString(),
          ...(h.type === "symlink" ? { target: h.linkname } : {}),
        });
        if (entries.length >= MAX_LIST_ENTRIES) stopped = `only the first ${MAX_LIST_ENTRIES} entries are shown`;
      }
      if (!stopped && scanned >= MAX_SCANNED_ENTRIES) stopped = `the listing stopped after reading ${MAX_SCANNED_ENTRIES} entries of this folder and its subfolders; some entries may be missing`;
    },
  });
  let read = 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const finish = (err?: unknown) => {
      clearTimeout(timer);
      stream.removeAllListeners("data");
      stream.destroy();
      if (err) reject(err);
      else resolve();
    };
    // Big files are read through to reach the next entry: bound the time, so the engine stream never outlives the call.
    const timer = setTimeout(() => {
      stopped ??= `the listing stopped after ${Math.round((Date.now() - started) / 1000)} s (large files in this folder are read through to list it); some entries may be missing`;
      finish();
    }, MAX_LIST_MS);
    stream.on("data", (chunk: Buffer) => {
      read += chunk.length;
      if (!stopped && read > MAX_LIST_BYTES) stopped = `the listing stopped after reading ${MAX_LIST_BYTES / 1024 ** 3} GB of this folder's files; some entries may be missing`;
      try {
        parser.write(chunk);
      } catch (err) {
        return finish(err instanceof TarError ? new RuntimeFailure({ code: "INTERNAL", message: `${view.subject}: the engine's archive could not be read: ${err.message}` }) : err);
      }
      if (stopped || parser.ended) finish();
    });
    stream.on("end", () => finish());
    stream.on("error", (err) => finish(toRuntimeError(err, view.subject)));
  });
  entries.sort((a, b) => (a.type === "dir") !== (b.type === "dir") ? (a.type === "dir" ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { path: view.shown(dir), entries, truncated: stopped !== undefined, ...(stopped ? { note: stopped } : {}) };
}

/**
 * PUT /archive: `tar` extracted into directory `dir`. Resolves once the engine
 * has answered; a failure of `tar` itself (a refused entry) rejects with that error.
 */
export async function putArchive(docker: Docker, id: string, dir: string, tar: Readable, view: View): Promise<void> {
  let own: Error | undefined;
  tar.once("error", (err) => (own ??= err));
  try {
    await docker.getContainer(id).putArchive(tar as unknown as NodeJS.ReadableStream, { path: dir, noOverwriteDirNonDir: "true" });
  } catch (err) {
    if (own) throw own;
    const e = toRuntimeError(err, view.subject);
    const status = (err as { statusCode?: number }).statusCode;
    // Read-only root filesystem or read-only mount: the engine's words, on the field that chose where.
    if (status === 403 || status === 400 || /read-only/i.test(e.message)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: `path: ${view.shown(dir)}: ${e.message.replace(`${view.subject}: `, "")}` });
    throw new RuntimeFailure(e);
  }
  if (own) throw own;
}
