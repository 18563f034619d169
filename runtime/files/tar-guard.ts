/**
 * The check every uploaded tar passes through on its way to the engine: a
 * pass-through stream that reads each header (tar-parser.ts, as the engine
 * will) and forwards a chunk only once every header in it has been accepted.
 * The bytes that reach the engine are the bytes that came in, unchanged.
 *
 * Refused, with the entry named and why (BAD_REQUEST, field "archive"):
 * absolute names, `..` components, NUL in a name or link, absolute symlinks,
 * symlinks and hard links whose target resolves outside the target directory
 * (following the archive's own earlier symlinks, so `a -> .` then `b -> a/..`
 * is caught), device files, sparse and unknown entry types, PAX global headers
 * that set a path.
 *
 * What it cannot see: symlinks that already exist in the target directory
 * (the engine resolves those inside the container's own filesystem). An entry
 * refused after others were accepted cannot unsend them: the engine may have
 * written the entries before it; the refused one and every later one are never sent.
 */
import { Transform, type TransformCallback } from "node:stream";
import { MAX_NAME_BYTES, MAX_PATH_BYTES } from "./paths";
import { TarError, type TarHeader, TarParser } from "./tar-parser";

/** A refused entry: `entry` is its name as the archive gives it. */
export class EntryRefused extends Error {
  readonly field = "archive";
  constructor(readonly entry: string, reason: string) {
    super(`archive: entry ${JSON.stringify(entry.slice(0, 200))} refused: ${reason}`);
    this.name = "EntryRefused";
  }
}

/** Symlinks remembered to resolve later targets through; a bound on memory. */
const MAX_LINKS = 20_000;
/** Symlink hops while resolving one target (Linux allows 40). */
const MAX_HOPS = 40;

/** What the checker remembers between entries. */
export interface GuardState {
  /** Symlinks of this archive: normalised relative path → target. */
  links: Map<string, string>;
  /** Those whose target has a `..`: what they point to changes when a link they pass through changes. */
  climbing: Set<string>;
  entries: number;
  /** Path components walked by resolve() so far: bounded, so no archive can hold the runtime's one thread. */
  work: number;
}

export const newGuardState = (): GuardState => ({ links: new Map(), climbing: new Set(), entries: 0, work: 0 });

/** Symlinks with `..` in their target, re-checked after every change of the archive's links. */
const MAX_CLIMBING = 1000;
/** Components resolve() may walk for one archive (well under a second of work). */
const MAX_WORK = 2_000_000;

/**
 * Throws EntryRefused when `h` must not reach the engine; otherwise records what
 * later entries need (symlinks). Pure apart from `state`.
 */
export function checkEntry(state: GuardState, h: TarHeader): void {
  const refuse = (why: string) => {
    throw new EntryRefused(h.name, why);
  };
  if (h.type === "pax-global") {
    if (h.pax.path !== undefined || h.pax.linkpath !== undefined) refuse("a PAX global header may not set a path or link");
    return;
  }
  state.entries++;
  const parts = nameParts(h.name, refuse);
  const key = parts.join("/");
  switch (h.type) {
    case "file":
    case "directory":
    case "fifo":
      break;
    case "symlink": {
      const target = h.linkname;
      if (target === "") refuse("a symlink without a target");
      if (target.includes("\0")) refuse("its link target contains a NUL character");
      if (target.startsWith("/")) refuse(`an absolute symlink (-> ${JSON.stringify(target.slice(0, 200))}); only relative links inside the target directory are accepted`);
      if (Buffer.byteLength(target) > MAX_PATH_BYTES) refuse(`its link target is longer than ${MAX_PATH_BYTES} bytes`);
      if (parts.length === 0) refuse("a symlink in place of the target directory itself");
      const resolved = resolve(state, [...parts.slice(0, -1), ...target.split("/")], refuse);
      if (resolved === null) refuse(`its target ${JSON.stringify(target.slice(0, 200))} points outside the target directory`);
      if (state.links.size >= MAX_LINKS && !state.links.has(key)) refuse(`more than ${MAX_LINKS} symlinks in one archive`);
      state.links.set(key, target);
      if (target.split("/").includes("..")) {
        if (state.climbing.size >= MAX_CLIMBING && !state.climbing.has(key)) refuse(`more than ${MAX_CLIMBING} symlinks whose target climbs with ".."`);
        state.climbing.add(key);
      } else state.climbing.delete(key);
      recheck(state, refuse);
      return;
    }
    case "link": {
      const target = h.linkname;
      if (target === "") refuse("a hard link without a target");
      if (target.includes("\0")) refuse("its link target contains a NUL character");
      if (target.startsWith("/")) refuse(`a hard link to an absolute path (${JSON.stringify(target.slice(0, 200))})`);
      // A hard link's target is named from the archive's root, like an entry.
      const targetParts = nameParts(target, (why) => refuse(`its link target ${why}`));
      if (resolve(state, targetParts, refuse) === null) refuse(`its target ${JSON.stringify(target.slice(0, 200))} points outside the target directory`);
      break;
    }
    case "char-device":
    case "block-device":
      refuse(`a ${h.type === "char-device" ? "character" : "block"} device file; device files are not accepted`);
      break;
    case "sparse":
      refuse("a sparse file; sparse entries are not accepted");
      break;
    default:
      refuse(`an entry of unknown type ${JSON.stringify(h.typeflag)}`);
  }
  if (Object.keys(h.pax).some((k) => k.startsWith("GNU.sparse."))) refuse("a sparse file; sparse entries are not accepted");
  if (h.type === "directory" && parts.length === 0) return;
  if (parts.length === 0) refuse("a non-directory entry in place of the target directory itself");
  // Replaced by a file or directory: no longer a link to follow, and links through it may now lead elsewhere.
  if (state.links.delete(key)) {
    state.climbing.delete(key);
    recheck(state, refuse);
  }
}

/**
 * The kernel follows a link when it is used, not when it is made: `x -> y/..`
 * is harmless while `y` is a folder and leads out once `y` becomes a link to
 * `.`. So after every change of the archive's links, every link whose target
 * climbs is resolved again; the entry that made one lead out is refused.
 */
function recheck(state: GuardState, refuse: (why: string) => never): void {
  for (const key of state.climbing) {
    const target = state.links.get(key)!;
    if (resolve(state, [...key.split("/").slice(0, -1), ...target.split("/")], refuse) === null) {
      refuse(`it makes the earlier symlink ${JSON.stringify(key)} (-> ${JSON.stringify(target.slice(0, 200))}) point outside the target directory`);
    }
  }
}

/**
 * An entry name → its components: `./a//b/` → ["a","b"], `.` or `./` → []
 * (the target directory). Absolute names, `..`, NUL and over-long names are refused.
 */
function nameParts(name: string, refuse: (why: string) => never): string[] {
  if (name === "") refuse("an empty name");
  if (name.includes("\0")) refuse("its name contains a NUL character");
  if (name.startsWith("/")) refuse("an absolute name; entries must be relative to the target directory");
  if (Buffer.byteLength(name) > MAX_PATH_BYTES) refuse(`its name is longer than ${MAX_PATH_BYTES} bytes`);
  const parts: string[] = [];
  for (const p of name.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") refuse("its name contains a \"..\" component");
    if (Buffer.byteLength(p) > MAX_NAME_BYTES) refuse(`a component of its name is longer than ${MAX_NAME_BYTES} bytes`);
    parts.push(p);
  }
  return parts;
}

/**
 * Resolves relative components from the target directory, following the
 * archive's symlinks; null when the walk leaves the target directory (or
 * meets an absolute link, or loops).
 */
function resolve(state: GuardState, components: string[], refuse: (why: string) => never): string[] | null {
  const stack = [...components].reverse();
  const at: string[] = [];
  let hops = 0;
  while (stack.length) {
    if (++state.work > MAX_WORK) refuse("the archive's symlinks are too many or too deep to check (refused rather than written unchecked)");
    const c = stack.pop()!;
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (at.length === 0) return null;
      at.pop();
      continue;
    }
    at.push(c);
    const link = state.links.get(at.join("/"));
    if (link === undefined) continue;
    if (++hops > MAX_HOPS || link.startsWith("/")) return null;
    at.pop();
    for (const p of link.split("/").reverse()) stack.push(p);
  }
  return at;
}

/**
 * The pass-through: bytes out are bytes in, each chunk released once every
 * header it holds has been read and accepted. Ends with an error (and sends
 * nothing more) on the first refused entry or a malformed archive.
 */
export function tarGuard(): Transform & { state: GuardState } {
  const state = newGuardState();
  const parser = new TarParser({ entry: (h) => checkEntry(state, h) });
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        parser.write(chunk);
      } catch (err) {
        return cb(asRefusal(err));
      }
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      try {
        parser.end();
      } catch (err) {
        return cb(asRefusal(err));
      }
      if (state.entries === 0 && !parser.ended) return cb(Object.assign(new Error("archive: the upload is empty: send a tar archive"), { field: "archive" }));
      cb();
    },
  });
  return Object.assign(guard, { state });
}

function asRefusal(err: unknown): Error {
  if (err instanceof EntryRefused) return err;
  if (err instanceof TarError) return Object.assign(new Error(`archive: ${err.message}`), { field: "archive" });
  return err as Error;
}
