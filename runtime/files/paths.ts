/**
 * Paths people give for files: in a container (absolute container paths) or in
 * a volume (absolute from the volume's root). One normaliser for both, pure and
 * without dependencies, so the zod schemas, the runtime and the unit tests share
 * it. A path never leaves where it was meant to be: `..` is refused outright
 * (never resolved, so no prefix check can be fooled), NUL is refused, and the
 * lengths are bounded by what Linux itself accepts.
 */

/** PATH_MAX on Linux. */
export const MAX_PATH_BYTES = 4096;
/** NAME_MAX on Linux: one component. */
export const MAX_NAME_BYTES = 255;

export type Normalised = { ok: true; path: string } | { ok: false; message: string };

/**
 * `raw` → `/a/b/c`: absolute, single slashes, no `.` segments, no trailing
 * slash (`/` stays `/`). Refuses NUL, relative paths, `..` segments and over-long
 * paths or components; the message leaves the field name to the caller.
 */
export function normalisePath(raw: string): Normalised {
  if (typeof raw !== "string" || raw === "") return { ok: false, message: "is required" };
  if (raw.includes("\0")) return { ok: false, message: "must not contain a NUL character" };
  if (!raw.startsWith("/")) return { ok: false, message: `must be an absolute path (starting with /), got ${JSON.stringify(raw.slice(0, 80))}` };
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) return { ok: false, message: `must be at most ${MAX_PATH_BYTES} bytes` };
  const parts: string[] = [];
  for (const part of raw.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") return { ok: false, message: "must not contain \"..\" segments" };
    if (Buffer.byteLength(part) > MAX_NAME_BYTES) return { ok: false, message: `has a component longer than ${MAX_NAME_BYTES} bytes` };
    parts.push(part);
  }
  return { ok: true, path: `/${parts.join("/")}` };
}

/** `normalisePath`, throwing an Error whose message starts with the field name. */
export function normalisedOrThrow(raw: string, field: string): string {
  const r = normalisePath(raw);
  if (!r.ok) throw new PathError(field, `${field}: ${r.message}`);
  return r.path;
}

/** A path refused; `field` names the input it came from. */
export class PathError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = "PathError";
  }
}

/** Why `name` cannot be one file name (a single component), or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name === "") return "is required";
  if (name.includes("\0")) return "must not contain a NUL character";
  if (name.includes("/")) return "must be a file name, without /";
  if (name === "." || name === "..") return `must not be ${JSON.stringify(name)}`;
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `must be at most ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** The last component of a normalised path (`/` → `/`). */
export function baseName(path: string): string {
  if (path === "/") return "/";
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `dir` joined with one file name (both already checked). */
export function joinPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/** Where a volume path is in the helper container that mounts the volume. */
export const VOLUME_MOUNT = "/volume";

export function inVolume(path: string): string {
  return path === "/" ? VOLUME_MOUNT : `${VOLUME_MOUNT}${path}`;
}
