/**
 * Reads a template list or a stack file from where a source names it: an
 * http(s) URL or an absolute file on the dashboard's host. Bounded (5 s, 5 MB),
 * redirects followed by hand so none leaves http(s), and no `file:` URL, no
 * relative path, no `..` segment: a source says exactly what it reads.
 */
import fs from "node:fs/promises";
import path from "node:path";

export const FETCH_TIMEOUT_MS = 5_000;
export const MAX_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export type Location = { kind: "url"; url: URL } | { kind: "file"; path: string };

export class FetchError extends Error {}

/** Where a source's text names: a reason it cannot be read is a FetchError with a clear message. */
export function locationOf(source: string): Location {
  if (source.includes("\0")) throw new FetchError("must not contain a NUL character");
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new FetchError(`"${source}" is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchError(`only http(s) URLs and absolute file paths are read, not ${url.protocol} URLs`);
    if (url.username || url.password) throw new FetchError("a URL with a user name or password is not read (it would be shown in the settings)");
    return { kind: "url", url };
  }
  if (!path.isAbsolute(source)) throw new FetchError(`"${source}" is neither an http(s) URL nor an absolute file path`);
  if (source.split(/[\\/]/).includes("..")) throw new FetchError(`"${source}" must not contain ".." segments`);
  return { kind: "file", path: path.normalize(source) };
}

export function describeLocation(l: Location): string {
  return l.kind === "url" ? l.url.href : l.path;
}

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

/** The text at a location, within the bounds. */
export async function fetchText(l: Location, opts: FetchOptions = {}): Promise<string> {
  const maxBytes = opts.maxBytes ?? MAX_BYTES;
  return l.kind === "file" ? readFileBounded(l.path, maxBytes) : fetchUrl(l.url, opts.timeoutMs ?? FETCH_TIMEOUT_MS, maxBytes);
}

/** A JSON document at a location (a template list): not JSON is a FetchError that does not echo the text. */
export async function fetchJson(l: Location, opts: FetchOptions = {}): Promise<unknown> {
  const text = await fetchText(l, opts);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new FetchError(`${describeLocation(l)}: is not JSON${at ? ` (at character ${at})` : ""}`);
  }
}

async function readFileBounded(file: string, maxBytes: number): Promise<string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FetchError(code === "ENOENT" ? `${file}: no such file` : code === "EACCES" ? `${file}: permission denied` : `${file}: cannot be read (${code ?? "error"})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new FetchError(`${file}: is not a file`);
    if (st.size > maxBytes) throw new FetchError(`${file}: is larger than ${maxBytes / 1024 / 1024} MB`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > maxBytes) throw new FetchError(`${file}: is larger than ${maxBytes / 1024 / 1024} MB`);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

async function fetchUrl(start: URL, timeoutMs: number, maxBytes: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  let url = start;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(url, { redirect: "manual", signal, headers: { accept: "application/json, text/plain, */*" } });
      if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new FetchError(`${start.href}: more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(res.headers.get("location")!, url);
        if (next.protocol !== "http:" && next.protocol !== "https:") throw new FetchError(`${url.href}: redirects to a ${next.protocol} URL, which is not followed`);
        if (internalHost(next.hostname) && !internalHost(start.hostname)) throw new FetchError(`${url.href}: redirects to a local or private address, which is not followed`);
        url = next;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new FetchError(`${url.href}: the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
      }
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > maxBytes) {
        await res.body?.cancel();
        throw new FetchError(`${url.href}: is larger than ${maxBytes / 1024 / 1024} MB`);
      }
      return await readBody(res, url, maxBytes);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    const e = err as Error;
    if (e.name === "TimeoutError" || e.name === "AbortError") throw new FetchError(`${url.href}: no answer within ${timeoutMs / 1000} s`);
    const cause = (e.cause as { code?: string; message?: string } | undefined);
    throw new FetchError(`${url.href}: ${cause?.code ?? cause?.message ?? e.message}`);
  }
}

async function readBody(res: Response, url: URL, maxBytes: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FetchError(`${url.href}: is larger than ${maxBytes / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Where a stack template's file is, from Portainer's `repository: {url, stackfile}`:
 * `url` "." (or any relative path) is the list's own folder; an http(s) base is read
 * raw; a GitHub repository is read through raw.githubusercontent.com at its default
 * branch. Another git repository cannot be cloned here: the reason is answered.
 */
export function stackFileLocation(list: Location, repository: { url: string; stackfile: string }): Location | { problem: string } {
  const where = resolveStackFile(list, repository);
  // A list from the internet must not point the dashboard at its own network (and show the answer as a stack file).
  if ("kind" in where && where.kind === "url" && list.kind === "url" && where.url.origin !== list.url.origin && internalHost(where.url.hostname) && !internalHost(list.url.hostname)) {
    return { problem: `repository.url: ${where.url.origin} is a local or private address, which a list from ${list.url.origin} may not read` };
  }
  return where;
}

/** localhost, loopback, private, link-local and unique-local addresses, written as such. */
export function internalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1" || h === "::" || /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h) || h.startsWith("::ffff:")) return true;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

function resolveStackFile(list: Location, repository: { url: string; stackfile: string }): Location | { problem: string } {
  const { url, stackfile } = repository;
  if (stackfile.includes("\0") || stackfile.split(/[\\/]/).includes("..")) return { problem: `repository.stackfile: "${stackfile}" must not contain ".." segments` };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      return { problem: `repository.url: "${url}" is not a valid URL` };
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") return { problem: `repository.url: ${base.protocol} repositories cannot be read (only http(s))` };
    const gh = base.hostname === "github.com" ? /^\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(base.pathname) : null;
    if (gh) return { kind: "url", url: new URL(`https://raw.githubusercontent.com/${gh[1]}/${gh[2]}/HEAD/${stackfile.replace(/^\/+/, "")}`) };
    if (base.pathname.endsWith(".git")) return { problem: `repository.url: ${base.href} is a git repository, which Berth cannot clone: give an http(s) base the file can be read from` };
    return { kind: "url", url: new URL(stackfile.replace(/^\/+/, ""), base.href.endsWith("/") ? base : new URL(`${base.href}/`)) };
  }
  if (url.split(/[\\/]/).includes("..")) return { problem: `repository.url: "${url}" must not contain ".." segments` };
  const rel = path.posix.join(url, stackfile).replace(/^\/+/, "");
  if (list.kind === "url") return { kind: "url", url: new URL(rel, list.url) };
  return { kind: "file", path: path.join(path.dirname(list.path), rel) };
}
