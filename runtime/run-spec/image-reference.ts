/**
 * Image references checked against Docker's own grammar (distribution/reference,
 * regexp.go) before any engine call: a reference is pasted into request paths
 * (`/images/<ref>/json`), so anything outside the grammar (`..`, `/`, NUL, spaces)
 * must never reach the engine. Pure TypeScript: the create form shares it.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*   (≤ 255 characters)
 */

const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainAndPort = `(?:${domainName}|${ipv6address})(?::[0-9]+)?`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;
const tagPat = "[\\w][\\w.-]{0,127}";
const digestPat = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

// Each alternative is bounded by its separators, so these run in linear time on any input.
const referenceRe = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const nameRe = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const tagRe = new RegExp(`^${tagPat}$`);
const identifierRe = /^[a-f0-9]{64}$/;

/** distribution/reference's NameTotalLengthMax. */
export const NAME_TOTAL_LENGTH_MAX = 255;
/** Longer input is refused before any pattern looks at it. */
const INPUT_MAX = 1024;

/** go-digest's registered algorithms and the length of their hex encoding. */
const digestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  /** The repository, domain included when given: `127.0.0.1:5000/web`. */
  name: string;
  tag?: string;
  digest?: string;
  /** A bare image id (64 hex digits, or `sha256:` and 64 hex digits), as `docker run` takes it. */
  id?: string;
}

export type ImageReferenceResult = { ok: true; ref: ImageReference } | { ok: false; error: string };

/**
 * What `docker run`/`docker pull` accept (reference.ParseAnyReference): an image id,
 * or a name with an optional tag and digest. The error reads on its own after the field:
 * `image: invalid reference format: …`.
 */
export function parseImageReference(input: string): ImageReferenceResult {
  const pre = precheck(input);
  if (pre) return bad(pre);
  if (identifierRe.test(input)) return { ok: true, ref: { name: input, id: input } };
  if (/^sha256:[a-f0-9]{64}$/.test(input)) return { ok: true, ref: { name: input, id: input } };

  const m = referenceRe.exec(input);
  if (!m) return bad(describeMismatch(input));
  const [, name, tag, digest] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return bad(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  const digestProblem = digest ? checkDigest(digest) : undefined;
  if (digestProblem) return bad(digestProblem);
  return { ok: true, ref: { name, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) } };
}

/** The error of parseImageReference, or undefined for a valid reference. */
export function imageReferenceError(input: string): string | undefined {
  const r = parseImageReference(input);
  return r.ok ? undefined : r.error;
}

/** A repository without tag or digest, as `docker commit` and `docker tag` take it. */
export function repositoryError(input: string): string | undefined {
  const pre = precheck(input);
  if (pre) return `invalid reference format: ${pre}`;
  if (identifierRe.test(input)) return "invalid repository name: a 64-character hexadecimal string is an image id, not a name";
  if (!nameRe.test(input)) {
    if (input.includes("@")) return "invalid reference format: a repository has no digest";
    if (referenceRe.test(input)) return "invalid reference format: a repository has no tag here (give the tag on its own)";
    return `invalid reference format: ${describeMismatch(input)}`;
  }
  if (input.length > NAME_TOTAL_LENGTH_MAX) return `invalid reference format: repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
  return undefined;
}

export function tagError(input: string): string | undefined {
  if (input.length > 128) return "invalid tag: at most 128 characters";
  if (!tagRe.test(input)) return "invalid tag: letters, digits, _ . - (up to 128), not starting with . or -";
  return undefined;
}

function bad(reason: string): ImageReferenceResult {
  return { ok: false, error: `invalid reference format: ${reason}` };
}

function precheck(input: string): string | undefined {
  if (input === "") return "the reference is empty";
  if (input.length > INPUT_MAX) return `${input.length} characters is far beyond a reference (a name is at most ${NAME_TOTAL_LENGTH_MAX})`;
  // eslint-disable-next-line no-control-regex
  const odd = /[\s\u0000-\u001f\u007f]/.exec(input);
  if (odd) {
    const what = odd[0] === " " ? "a space" : /\s/.test(odd[0]) ? "white space" : "a control character";
    return `${what} at position ${odd.index + 1}`;
  }
  return undefined;
}

/** Names the first thing that breaks the grammar, in the terms of the grammar. */
function describeMismatch(input: string): string {
  const shown = quote(input);
  const at = input.indexOf("@");
  const beforeDigest = at >= 0 ? input.slice(0, at) : input;
  if (at >= 0 && !new RegExp(`^${digestPat}$`).test(input.slice(at + 1)))
    return `${shown}: the digest after @ must be algorithm:hex, e.g. sha256: and 64 hex digits`;
  const slash = beforeDigest.lastIndexOf("/");
  const colon = beforeDigest.lastIndexOf(":");
  let name = beforeDigest;
  if (colon > slash) {
    const tag = beforeDigest.slice(colon + 1);
    if (!tagRe.test(tag)) return `${shown}: the tag "${short(tag)}" must be letters, digits, _ . - (up to 128), not starting with . or -`;
    name = beforeDigest.slice(0, colon);
  }
  if (name === "") return `${shown}: the repository name is missing`;
  if (/[A-Z]/.test(name) && referenceRe.test(input.toLowerCase())) return `repository name ${shown} must be lowercase`;
  const parts = name.split("/");
  const first = parts.length > 1 && new RegExp(`^${domainAndPort}$`).test(parts[0]) ? 1 : 0;
  const badPart = parts.slice(first).find((p) => !new RegExp(`^${pathComponent}$`).test(p));
  if (badPart !== undefined)
    return `${shown}: the path component "${short(badPart)}" must be lowercase letters and digits, separated by one ".", "_", "__" or dashes`;
  return `${shown} is not [registry[:port]/]path[:tag][@digest]`;
}

function checkDigest(digest: string): string | undefined {
  const [algo, hex] = digest.split(":");
  const want = digestLengths[algo];
  if (want === undefined) return `unsupported digest algorithm "${short(algo)}" (sha256, sha384 or sha512)`;
  if (hex.length !== want) return `a ${algo} digest has ${want} hex digits, not ${hex.length}`;
  if (/[A-F]/.test(hex)) return `a ${algo} digest is written in lower-case hex`;
  return undefined;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}…` : s);
}
