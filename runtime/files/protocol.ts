/**
 * The files capability's wire contract: listing a directory of a container or a
 * volume, and the volume's folder operations; downloads and uploads are plain
 * HTTP routes (FILES_CONTAINER_PREFIX, FILES_VOLUME_PREFIX). Never imports
 * dockerode, so the dashboard and the browser can depend on it.
 */
import { z } from "zod";
import { MIN } from "../protocol/deadlines";
import { containerIdSchema } from "../protocol/ids";
import type { DeadlineRules, MethodTable } from "../protocol/registry";
import { fileNameProblem, MAX_PATH_BYTES, normalisePath } from "./paths";

/** An absolute path, normalised by the handler (normalisePath); refused here with the same words. */
export const filePathSchema = z
  .string()
  .max(MAX_PATH_BYTES, `must be at most ${MAX_PATH_BYTES} characters`)
  .regex(/^\//, "must be an absolute path (starting with /)")
  .superRefine((raw, ctx) => {
    const r = normalisePath(raw);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.message });
  });

/** Docker's rule for volume names (a 64-hex anonymous volume fits it too). */
export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const volumeNameSchema = z
  .string()
  .min(1, "is required")
  .max(255, "must be at most 255 characters")
  .regex(VOLUME_NAME_PATTERN, "must be a volume name (letters, digits, _ . -)");

export const fileNameSchema = z.string().superRefine((name, ctx) => {
  const problem = fileNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const filesMethods = {
  "files.list": z.strictObject({ id: containerIdSchema, path: filePathSchema }),
  "files.volumeList": z.strictObject({ id: volumeNameSchema, path: filePathSchema }),
  "files.volumeMkdir": z.strictObject({ id: volumeNameSchema, path: filePathSchema }),
  "files.volumeRename": z.strictObject({ id: volumeNameSchema, path: filePathSchema, to: filePathSchema }),
  "files.volumeDelete": z.strictObject({ id: volumeNameSchema, path: filePathSchema }),
  /** Removes the volume's helper containers now (call before `docker volume rm`: a mounted volume cannot be removed). */
  "files.volumeRelease": z.strictObject({ id: volumeNameSchema }),
} as const satisfies MethodTable;

export type FileType = "file" | "dir" | "symlink" | "other";

export interface FileEntry {
  name: string;
  type: FileType;
  /** Bytes (0 for directories and links). */
  size: number;
  /** Permission bits (e.g. 0o644). */
  mode: number;
  /** ISO time. */
  mtime: string;
  /** A symlink's target as stored. */
  target?: string;
}

export interface FileListing {
  /** The directory listed, normalised (a symlink's target when the path was a link to a directory). */
  path: string;
  entries: FileEntry[];
  /** True when the listing stopped before the end (too many entries); `entries` is then partial. */
  truncated: boolean;
  /** Why, in words, when truncated. */
  note?: string;
}

export interface FileOpResult {
  /** The volume. */
  id: string;
  path: string;
  to?: string;
}

export interface FilesResults {
  "files.list": FileListing;
  "files.volumeList": FileListing;
  "files.volumeMkdir": FileOpResult;
  "files.volumeRename": FileOpResult;
  "files.volumeDelete": FileOpResult;
  "files.volumeRelease": { id: string; helpers: number };
}

/** What an upload route answers. */
export interface UploadResult {
  ok: true;
  /** The directory written into (normalised). */
  path: string;
  /** Entries in the archive (1 for a single file). */
  entries: number;
  bytes: number;
}

/**
 * `GET <prefix><id>?path=[&file=1]` a file or folder as a tar (or one regular
 * file's bytes); `PUT <prefix><id>?path=<dir>[&name=<file>]` a tar (or one file) into a directory.
 */
export const FILES_CONTAINER_PREFIX = "/files/containers/";
export const FILES_VOLUME_PREFIX = "/files/volumes/";
/** A download's answer header: JSON `{name, size, type}` of what it holds. */
export const FILE_STAT_HEADER = "x-berth-file-stat";

/** A listing reads the directory's whole archive (the engine has no shallower read). */
export const filesDeadlines: DeadlineRules = {
  "files.list": () => 2 * MIN,
  "files.volumeList": () => 2 * MIN,
  "files.volumeMkdir": () => MIN,
  "files.volumeRename": () => MIN,
  "files.volumeDelete": () => 5 * MIN,
};
