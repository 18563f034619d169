/**
 * POSIX paths without node:path (the library also runs in the browser): the
 * stack folder's relative paths made absolute, and the check that one stays
 * inside the folder (env_file, secrets, configs, build contexts).
 */
export function normalizePath(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(seg);
  }
  const joined = out.join("/");
  return abs ? `/${joined}` : joined || ".";
}

/** `p` as an absolute path, relative ones from `base` (the stack folder). */
export function resolvePath(base: string, p: string): string {
  return p.startsWith("/") ? normalizePath(p) : normalizePath(`${base}/${p}`);
}

/** Whether the absolute `p` is `base` or below it. */
export function isInside(base: string, p: string): boolean {
  const b = normalizePath(base);
  return p === b || p.startsWith(b === "/" ? "/" : `${b}/`);
}
