/**
 * Registry addresses as image references name them (`host[:port]`, "docker.io"
 * for Docker Hub), and which registry a reference lives in, by Docker's own
 * rule (distribution/reference splitDockerDomain). Pure: the dashboard checks
 * what an administrator types with it, the runtime checks what it is asked to
 * reach, and pulls find their credentials with it.
 */

/** How image references and Berth's table name Docker Hub. */
export const DOCKER_HUB = "docker.io";
/** The address Docker's engine keys Docker Hub credentials by (`docker login` with no server). */
export const DOCKER_HUB_SERVER_ADDRESS = "https://index.docker.io/v1/";
/** Where Docker Hub's v2 API answers (docker.io itself does not). */
export const DOCKER_HUB_API_HOST = "registry-1.docker.io";

/** The other names Docker Hub goes by: each is the same registry as "docker.io". */
const HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/** A host name (RFC 1123 labels), an IPv4 address or a bracketed IPv6 address. */
const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const hostRe = new RegExp(`^(?:${label}(?:\\.${label})*|\\[[0-9a-f:.]+\\])$`);
const INPUT_MAX = 300;

export type AddressResult = { ok: true; host: string; scheme?: "http" | "https" } | { ok: false; error: string };

/**
 * A registry address as people paste it: `registry.example.com:5000`, with or
 * without `https://` / `http://` and a trailing slash. Refused: a path, user
 * name or password in the URL, query or fragment, spaces and control characters,
 * a port outside 1–65535. The answer is lower-case `host[:port]`; Docker Hub's
 * aliases become "docker.io". Errors read after the field name ("url: …").
 */
export function parseRegistryAddress(input: string): AddressResult {
  if (input.length === 0) return { ok: false, error: "the registry URL is empty" };
  if (input.length > INPUT_MAX) return { ok: false, error: `at most ${INPUT_MAX} characters (a registry URL is host[:port])` };
  // eslint-disable-next-line no-control-regex
  const odd = /[\s\u0000-\u001f\u007f]/.exec(input);
  if (odd) return { ok: false, error: `${odd[0] === " " ? "a space" : /\s/.test(odd[0]) ? "white space" : "a control character"} at position ${odd.index + 1}` };
  let rest = input;
  let scheme: "http" | "https" | undefined;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(rest);
  if (m) {
    const s = m[1]!.toLowerCase();
    if (s !== "http" && s !== "https") return { ok: false, error: `"${m[1]}://" is not a registry scheme (http:// or https://, or none)` };
    scheme = s;
    rest = rest.slice(m[0].length);
  }
  if (rest.endsWith("/")) rest = rest.slice(0, -1);
  if (rest.includes("@")) return { ok: false, error: "no user name or password in the URL: give them in Username and Password" };
  if (/[?#]/.test(rest)) return { ok: false, error: "no query or fragment: a registry URL is host[:port]" };
  if (rest.includes("/")) return { ok: false, error: `no path ("/${rest.slice(rest.indexOf("/") + 1)}"): a registry URL is host[:port], as image references name it` };
  if (rest === "") return { ok: false, error: "the host is missing" };
  let host = rest.toLowerCase();
  let port: string | undefined;
  const portMatch = /^(.*?):([^:\]]*)$/.exec(host);
  if (portMatch && !(host.startsWith("[") && !host.includes("]:"))) {
    host = portMatch[1]!;
    port = portMatch[2]!;
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return { ok: false, error: `port "${port.slice(0, 16)}" must be a number from 1 to 65535` };
    port = String(Number(port));
  }
  if (!hostRe.test(host)) return { ok: false, error: `"${host.slice(0, 64)}" is not a host name or IP address` };
  if (!port && HUB_ALIASES.has(host)) return { ok: true, host: DOCKER_HUB, ...(scheme ? { scheme } : {}) };
  return { ok: true, host: port ? `${host}:${port}` : host, ...(scheme ? { scheme } : {}) };
}

/** The error of parseRegistryAddress, or undefined for a valid address. */
export function registryAddressError(input: string): string | undefined {
  const r = parseRegistryAddress(input);
  return r.ok ? undefined : r.error;
}

/**
 * The registry an image reference lives in, as Docker decides it: the first
 * path component is a registry only when it has a dot or a colon, or is
 * "localhost" (and is lower-case); else it is Docker Hub (`nginx`,
 * `library/nginx`, `myuser/app`). `index.docker.io/…` is Docker Hub too.
 */
export function registryOfReference(ref: string): string {
  const slash = ref.indexOf("/");
  if (slash === -1) return DOCKER_HUB;
  const first = ref.slice(0, slash);
  if (!/[.:]/.test(first) && first !== "localhost") return DOCKER_HUB;
  if (first.toLowerCase() !== first) return DOCKER_HUB;
  return HUB_ALIASES.has(first) ? DOCKER_HUB : first;
}

/** Where the v2 API of a registry answers: Docker Hub's API host, else the address itself. */
export function apiHost(address: string): string {
  return address === DOCKER_HUB ? DOCKER_HUB_API_HOST : address;
}

/** The `serveraddress` the engine's /auth and X-Registry-Auth take for a registry. */
export function serverAddress(address: string): string {
  return address === DOCKER_HUB ? DOCKER_HUB_SERVER_ADDRESS : address;
}

/**
 * A repository path inside a registry (no domain): Docker's path components
 * (`[a-z0-9]+` joined by `.`, `_`, `__` or dashes) separated by `/`, at most 255
 * characters. `..`, empty components and upper case never match.
 */
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const repositoryRe = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);

export function registryRepositoryError(input: string): string | undefined {
  if (input === "") return "the repository is empty";
  if (input.length > 255) return "at most 255 characters";
  if (!repositoryRe.test(input)) return `"${input.slice(0, 64)}" is not a repository name (lower-case letters, digits and . _ - between them, parts separated by /)`;
  return undefined;
}
