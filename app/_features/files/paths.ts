/**
 * Addresses and names of the file browser: the download/upload route of a
 * container or volume, path joining, and `ls -l`-style modes.
 */
import type { FileType } from "~/runtime/files/protocol";
export { shellQuote } from "~/runtime/run-spec/shell-quote";

/** `/api/e/<env>/containers/<id>/files?…` or `/api/e/<env>/volumes/<name>/files?…` (server/http/files-routes.ts). */
export function filesUrl(env: string, target: { kind: "container" | "volume"; id: string }, q: { path: string; file?: boolean; name?: string }): string {
  const query = new URLSearchParams({ path: q.path });
  if (q.file) query.set("file", "1");
  if (q.name !== undefined) query.set("name", q.name);
  return `/api/e/${encodeURIComponent(env)}/${target.kind === "container" ? "containers" : "volumes"}/${encodeURIComponent(target.id)}/files?${query}`;
}

export function joinPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir.replace(/\/+$/, "")}/${name}`;
}

export function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** `drwxr-xr-x`, as `ls -l` shows it. */
export function modeString(type: FileType, mode: number): string {
  const kind = type === "dir" ? "d" : type === "symlink" ? "l" : type === "file" ? "-" : "?";
  const bits = ["r", "w", "x", "r", "w", "x", "r", "w", "x"].map((c, i) => ((mode >> (8 - i)) & 1 ? c : "-"));
  if (mode & 0o4000) bits[2] = bits[2] === "x" ? "s" : "S";
  if (mode & 0o2000) bits[5] = bits[5] === "x" ? "s" : "S";
  if (mode & 0o1000) bits[8] = bits[8] === "x" ? "t" : "T";
  return kind + bits.join("");
}
