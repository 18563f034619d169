/**
 * The one mapping from any Docker or socket error to a protocol RuntimeError,
 * in words a person can act on. Every capability throws RuntimeFailure for
 * errors it has already put in those words.
 */
import type { RuntimeError } from "../protocol/errors";

/** Named in connection errors that carry no address of their own (e.g. "socket hang up"). */
let engineLabel = "Docker socket /var/run/docker.sock";

/** How unreachable-engine reasons name the engine when the error itself does not say. */
export function setEngineLabel(label: string): void {
  engineLabel = label;
}

/** An error that already speaks the protocol; thrown by runtime modules, passed through as is. */
export class RuntimeFailure extends Error {
  constructor(readonly error: RuntimeError) {
    super(error.message);
    this.name = "RuntimeFailure";
  }
}

/**
 * Runs one engine call and rethrows its failure in the protocol's words,
 * naming `subject` ("network web"); `map` may reword it (e.g. name the input
 * field of a NOT_FOUND). A RuntimeFailure passes through as it is.
 */
export async function engineCall<T>(subject: string, fn: () => Promise<T>, map?: (e: RuntimeError) => RuntimeError | undefined): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RuntimeFailure) throw err;
    const e = toRuntimeError(err, subject);
    throw new RuntimeFailure(map?.(e) ?? e);
  }
}

interface ModemError {
  statusCode?: number;
  reason?: string;
  json?: unknown;
  message?: string;
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ENOENT", "EACCES", "EPERM", "ETIMEDOUT", "ECONNRESET", "EPIPE",
  "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ENOTSOCK", "ECONNABORTED",
]);

/**
 * Any error → RuntimeError. `subject` names the object ("container web") and
 * prefixes engine answers; unreachable-engine reasons are about the engine, not it.
 */
export function toRuntimeError(err: unknown, subject?: string): RuntimeError {
  if (err instanceof RuntimeFailure) return err.error;
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as ModemError;
  const named = (msg: string) => (subject ? `${subject}: ${msg}` : msg);

  if (typeof e.statusCode === "number") {
    const dockerStatus = e.statusCode;
    if (dockerStatus >= 300 && dockerStatus < 400 && dockerStatus !== 304) {
      // Only a path the engine would rewrite (`..`, `//`) gets a redirect: the request named something that is not a name.
      return { code: "BAD_REQUEST", message: named(`the engine answered HTTP ${dockerStatus} (a redirect) instead of an answer: the request named something that is not a valid name or id`), dockerStatus };
    }
    const msg = dockerMessage(e);
    switch (dockerStatus) {
      case 404: return { code: "NOT_FOUND", message: named(msg), dockerStatus };
      case 409: return { code: "CONFLICT", message: named(msg), dockerStatus };
      case 304: return { code: "NOT_MODIFIED", message: named(e.reason || "already in that state"), dockerStatus };
      case 400: return { code: "BAD_REQUEST", message: named(msg), dockerStatus };
      default: return { code: "INTERNAL", message: named(msg), dockerStatus };
    }
  }

  const code = e.code ?? (e.message === "socket hang up" ? "ECONNRESET" : undefined);
  if (code && CONNECTION_CODES.has(code)) return { code: "ENGINE_UNREACHABLE", message: unreachableReason(code, e) };
  if (code && (code === "EPROTO" || /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))) {
    return { code: "ENGINE_UNREACHABLE", message: tlsReason(e.message ?? code) };
  }
  return { code: "INTERNAL", message: named(e.message || "unexpected error") };
}

/** Docker's own words: the JSON body's message, else docker-modem's "(HTTP code N) reason - msg". */
function dockerMessage(e: ModemError): string {
  const json = e.json;
  if (json && typeof json === "object" && !Buffer.isBuffer(json) && typeof (json as { message?: unknown }).message === "string") {
    return (json as { message: string }).message.trim();
  }
  if (typeof json === "string" && json.trim()) return json.trim();
  const m = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(e.message ?? "");
  const text = (m ? m[1] : e.message ?? "").trim();
  return text && text !== "[object Object]" ? text : e.reason || `Docker answered HTTP ${e.statusCode}`;
}

/** OpenSSL's text is for OpenSSL developers; say what to change instead. */
function tlsReason(message: string): string {
  const reason = (/SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message).trim();
  if (/wrong version number|packet length too long|http request/i.test(reason)) {
    return `${engineLabel} does not speak TLS (DOCKER_TLS_VERIFY or DOCKER_TLS is set)`;
  }
  if (/certificate required/i.test(reason)) {
    return `${engineLabel} requires a client certificate (cert.pem and key.pem in DOCKER_CERT_PATH)`;
  }
  return `TLS handshake with ${engineLabel} failed: ${reason}`;
}

function unreachableReason(code: string, e: ModemError): string {
  const isPath = typeof e.address === "string" && e.address.includes("/");
  const where = isPath
    ? `Docker socket ${e.address}`
    : e.address
      ? `the engine at ${e.address}${e.port ? `:${e.port}` : ""}`
      : engineLabel;
  const socketWord = where.startsWith("Docker socket");
  switch (code) {
    case "ENOENT":
      return `${where} not found (is the engine running?)`;
    case "ECONNREFUSED":
      return socketWord
        ? `${where} refuses connections (is the engine running?)`
        : `connection refused by ${where.replace(/^the engine at /, "")} (is the engine running and listening there?)`;
    case "EACCES":
    case "EPERM":
      return `permission denied on ${where.replace(/^(Docker socket|the engine at) /, "")} (run Berth as root or as a member of the docker group)`;
    case "ETIMEDOUT":
      return `timed out connecting to ${where}`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${where} is unreachable (no route to host)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the engine host ${e.hostname ?? where}`;
    case "ENOTSOCK":
      return `${where} is not a socket`;
    default:
      return `${where} closed the connection (is the engine restarting?)`;
  }
}
