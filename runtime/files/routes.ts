/**
 * The runtime's file streams, for a container (`/files/containers/<id>`) and a
 * volume (`/files/volumes/<name>`, through its helper container):
 *   GET  ?path=<p>           the file or folder as a tar, exactly as `docker cp` gives it;
 *   GET  ?path=<p>&file=1    one regular file's bytes, taken out of that tar as they come;
 *   PUT  ?path=<dir>         a tar, checked entry by entry (tar-guard.ts) into a temporary file, then given to the engine;
 *   PUT  ?path=<dir>&name=<f> one file's bytes (Content-Length needed), wrapped in a tar here.
 * Everything is piped, never held in memory. Errors before the first byte answer as JSON
 * `{ok:false, error}` naming the field; a failure mid-download cuts the connection.
 */
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import tarStream from "tar-stream";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import { containerIdSchema } from "../protocol/ids";
import { refuseRoute, routeWithMethods, sendJson, type Route } from "../server";
import { type View, openArchive, putArchive, statDir, statPath, statType } from "./archive";
import { baseName, fileNameProblem, inVolume, normalisePath, VOLUME_MOUNT } from "./paths";
import { FILE_STAT_HEADER, type UploadResult, volumeNameSchema } from "./protocol";
import { tarGuard } from "./tar-guard";
import { TarParser } from "./tar-parser";
import type { VolumeHelpers } from "./volume-helper";

/** Where the files live: a container as named, or a volume's helper. */
export interface Target {
  /** The container the archive endpoints act on. */
  id: string;
  view: View;
  /** A user path → the engine path. */
  enginePath: (p: string) => string;
  /** Called once the request is over (a volume's helper is released). */
  done: () => void;
}

export function containerView(id: string, name?: string): View {
  return { subject: `container ${name ?? id}`, shown: (p) => p };
}

export function volumeView(volume: string): View {
  return { subject: `volume ${volume}`, shown: (p) => (p === VOLUME_MOUNT ? "/" : p.startsWith(`${VOLUME_MOUNT}/`) ? p.slice(VOLUME_MOUNT.length) : p) };
}

/** A symlink in a volume must lead somewhere in the volume. */
export function insideVolume(enginePath: string): boolean {
  return enginePath === VOLUME_MOUNT || enginePath.startsWith(`${VOLUME_MOUNT}/`);
}

export function filesRoutes(docker: Docker, helpers: VolumeHelpers, prefixes: { container: string; volume: string }, nameOf: (id: string) => string | undefined): Record<string, Route> {
  const containerTarget = async (raw: string): Promise<Target> => {
    const id = containerIdSchema.safeParse(raw);
    if (!id.success) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "id", message: `id: ${JSON.stringify(raw.slice(0, 80))} is not a container id or name` });
    return { id: raw, view: containerView(raw, nameOf(raw)), enginePath: (p) => p, done: () => undefined };
  };
  const volumeTarget = (mode: "ro" | "rw") => async (raw: string): Promise<Target> => {
    if (!volumeNameSchema.safeParse(raw).success) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "id", message: `id: ${JSON.stringify(raw.slice(0, 80))} is not a volume name` });
    const helper = await helpers.borrow(raw, mode);
    return { id: helper.id, view: volumeView(raw), enginePath: inVolume, done: helper.done };
  };
  const handle = (prefix: string, target: (mode: "ro" | "rw") => (raw: string) => Promise<Target>, isVolume: boolean) =>
    routeWithMethods(["GET", "PUT"], async (req, res, url) => {
      let raw: string;
      try {
        raw = decodeURIComponent(url.pathname.slice(prefix.length));
      } catch {
        raw = "%";
      }
      let t: Target | undefined;
      try {
        const upload = req.method === "PUT";
        t = await target(upload ? "rw" : "ro")(raw);
        if (upload) await upload_(docker, req, res, url, t, isVolume);
        else await download(docker, req, res, url, t, isVolume);
      } catch (err) {
        t?.done();
        refuseRoute(req, res, err instanceof RuntimeFailure ? err.error : fieldError(err) ?? toRuntimeError(err));
      }
    });
  return {
    [prefixes.container]: handle(prefixes.container, () => containerTarget, false),
    [prefixes.volume]: handle(prefixes.volume, volumeTarget, true),
  };
}

function fieldError(err: unknown): RuntimeError | undefined {
  const e = err as { field?: unknown; message?: unknown };
  if (typeof e?.field === "string" && typeof e.message === "string") return { code: "BAD_REQUEST", field: e.field, message: e.message };
  return undefined;
}

function queryPath(url: URL, t: Target): string {
  const raw = url.searchParams.get("path");
  if (raw === null) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: "path: is required" });
  const r = normalisePath(raw);
  if (!r.ok) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: `path: ${r.message}` });
  return t.enginePath(r.path);
}

async function download(docker: Docker, req: http.IncomingMessage, res: http.ServerResponse, url: URL, t: Target, isVolume: boolean): Promise<void> {
  let path = queryPath(url, t);
  let stat = await statPath(docker, t.id, path, t.view);
  const wantFile = url.searchParams.get("file") === "1";
  if (wantFile && statType(stat) === "symlink" && stat.linkTarget) {
    if (isVolume && !insideVolume(stat.linkTarget)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: `path: ${t.view.shown(path)} is a link that leads outside the volume` });
    path = stat.linkTarget;
    stat = await statPath(docker, t.id, path, t.view);
  }
  const type = statType(stat);
  if (wantFile && type !== "file") throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: `path: ${t.view.shown(path)} is ${type === "dir" ? "a folder" : "not a regular file"}: download it as a tar` });
  const stream = await openArchive(docker, t.id, path, t.view);
  const name = path === VOLUME_MOUNT ? "volume" : baseName(path);
  const statJson = JSON.stringify({ name, size: stat.size, type });
  let finished = false;
  const end = () => {
    if (finished) return;
    finished = true;
    stream.destroy();
    t.done();
  };
  res.on("close", end);
  stream.on("error", () => {
    end();
    res.destroy();
  });
  if (!wantFile) {
    res.writeHead(200, { "content-type": "application/x-tar", [FILE_STAT_HEADER]: statJson });
    stream.on("end", end);
    stream.pipe(res);
    return;
  }
  // One regular file: the first entry's data, sent as it is read; the rest of the tar is not read.
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(stat.size), [FILE_STAT_HEADER]: statJson });
  let left = -1;
  const parser = new TarParser({
    entry: (h) => {
      if (left !== -1 || h.type === "pax-global") return;
      left = h.size;
      if (left === 0) res.end();
    },
    data: (chunk) => {
      if (left <= 0) return;
      const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= piece.length;
      if (!res.write(piece)) {
        stream.pause();
        res.once("drain", () => stream.resume());
      }
      if (left === 0) res.end();
    },
  });
  stream.on("data", (chunk: Buffer) => {
    if (left === 0) return end();
    try {
      parser.write(chunk);
    } catch {
      end();
      res.destroy();
    }
  });
  stream.on("end", () => {
    if (left !== 0) res.destroy();
    end();
  });
}

async function upload_(docker: Docker, req: http.IncomingMessage, res: http.ServerResponse, url: URL, t: Target, isVolume: boolean): Promise<void> {
  const requested = queryPath(url, t);
  const name = url.searchParams.get("name");
  if (name !== null) {
    const problem = fileNameProblem(name);
    if (problem) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "name", message: `name: ${problem}` });
  }
  const { dir } = await statDir(docker, t.id, requested, t.view);
  if (isVolume && !insideVolume(dir)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: `path: ${t.view.shown(requested)} is a link that leads outside the volume` });
  let bytes = 0;
  let tar: Readable;
  let entries = 1;
  if (name !== null) {
    const length = Number(req.headers["content-length"]);
    if (!Number.isSafeInteger(length) || length < 0) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "name", message: "name: a single-file upload needs its Content-Length" });
    const pack = tarStream.pack();
    const entry = pack.entry({ name, size: length, mode: 0o644, mtime: new Date(), type: "file" }, (err) => {
      if (err) pack.destroy(err);
      else pack.finalize();
    });
    req.on("error", (err) => pack.destroy(err));
    req.on("aborted", () => pack.destroy(new Error("the upload was cut off")));
    req.on("data", (c: Buffer) => (bytes += c.length));
    req.pipe(entry);
    tar = pack;
  } else {
    // Checked whole before the engine sees a byte: a hostile entry late in the archive must not leave the good ones before it written.
    const spooled = await spoolChecked(req);
    entries = spooled.entries;
    bytes = spooled.bytes;
    tar = fs.createReadStream(spooled.file);
    tar.once("close", () => fs.rm(spooled.dir, { recursive: true, force: true }, () => undefined));
  }
  try {
    await putArchive(docker, t.id, dir, tar, t.view);
  } finally {
    if (name === null) tar.destroy();
    t.done();
  }
  sendJson(res, 200, { ok: true, path: t.view.shown(dir), entries, bytes } satisfies UploadResult);
}

/** Above this an uploaded archive is refused: it is spooled to a temporary file while checked. */
export const MAX_SPOOL = 4 * 1024 ** 3;

/**
 * The uploaded tar through the entry checker into a temporary file (0600, its
 * own 0700 directory), so the engine gets it only once every entry passed.
 * Rejects with the checker's error (the entry named) or PAYLOAD_TOO_LARGE, and
 * removes the file then.
 */
async function spoolChecked(req: http.IncomingMessage): Promise<{ dir: string; file: string; entries: number; bytes: number }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "berth-upload-"));
  const file = path.join(dir, "archive.tar");
  const guard = tarGuard();
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > MAX_SPOOL) return done(new RuntimeFailure({ code: "PAYLOAD_TOO_LARGE", field: "archive", message: `archive: larger than ${MAX_SPOOL / 1024 ** 3} GB` }));
      done(null, chunk);
    },
  });
  const cutOff = () => limit.destroy(new Error("the upload was cut off"));
  req.once("aborted", cutOff);
  // Not pipeline(req, …): a refusal must leave the request open, so its answer can still be sent (refuseRoute drains it).
  req.pipe(limit);
  try {
    await pipeline(limit, guard, fs.createWriteStream(file, { mode: 0o600 }));
    return { dir, file, entries: guard.state.entries, bytes: size };
  } catch (err) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw err;
  } finally {
    req.off("aborted", cutOff);
  }
}


