/**
 * A small client of the registry v2 API (distribution spec) from the runtime
 * host: Basic auth and the Bearer token flow (WWW-Authenticate realm, service,
 * scope, as Docker Hub and token-auth registries answer), a deadline on every
 * request and on the whole call, and bounded answers: a registry is a remote
 * server Berth does not control, so nothing it sends may hang or flood the runtime.
 */
import { RuntimeFailure } from "../engine/errors";
import type { RegistryAuth } from "../protocol/registry-auth";
import { apiHost } from "./address";

/** One request (connect, headers and body). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** The largest JSON answer read (a catalogue page, a manifest, a token). */
export const BODY_MAX = 4 * 1024 * 1024;

export interface Endpoint {
  url: string;
  insecure: boolean;
  auth?: RegistryAuth;
}

export interface RegistryResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

function fail(code: "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "TIMEOUT" | "ENGINE_UNREACHABLE" | "INTERNAL" | "CONFLICT", message: string, field?: string): never {
  throw new RuntimeFailure({ code, message, ...(field ? { field } : {}) });
}

/** `realm="…",service="…",scope="…"` → its parameters (quoted values may hold commas). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const sp = header.indexOf(" ");
  const scheme = (sp === -1 ? header : header.slice(0, sp)).trim().toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  const rest = sp === -1 ? "" : header.slice(sp + 1, sp + 1 + 4096);
  for (const m of rest.matchAll(re)) params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
  return { scheme, params };
}

/** Reads at most `max` bytes of a body; more is an error, not a silent cut. */
async function readBounded(res: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    fail("INTERNAL", `${what}: the registry's answer is ${declared} bytes, over Berth's limit of ${max}`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      fail("INTERNAL", `${what}: the registry's answer is over Berth's limit of ${max} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** Node's fetch hides the reason in `cause`: say what happened in a person's words. */
function networkFailure(err: unknown, where: string, insecure: boolean, timeoutMs: number): never {
  if (err instanceof RuntimeFailure) throw err;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError" || e?.cause?.code === "UND_ERR_CONNECT_TIMEOUT" || e?.cause?.code === "UND_ERR_HEADERS_TIMEOUT") {
    fail("TIMEOUT", `registry ${where} did not answer within ${timeoutMs / 1000} s`);
  }
  if (e?.name === "AbortError") fail("TIMEOUT", `registry ${where}: the call ran out of time`);
  const code = e?.cause?.code ?? "";
  const reason = e?.cause?.message ?? e?.message ?? "unknown error";
  if (code === "ECONNREFUSED") fail("ENGINE_UNREACHABLE", `registry ${where} cannot be reached: connection refused (is it running and listening there?)`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") fail("ENGINE_UNREACHABLE", `registry ${where} cannot be reached: its host name does not resolve`);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") fail("ENGINE_UNREACHABLE", `registry ${where} cannot be reached: no route to host`);
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") fail("ENGINE_UNREACHABLE", `registry ${where} closed the connection`);
  if (!insecure && (code === "EPROTO" || /wrong version number|packet length/i.test(reason))) {
    fail("ENGINE_UNREACHABLE", `registry ${where} does not speak HTTPS: if it serves plain HTTP, mark it Insecure (HTTP)`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) fail("ENGINE_UNREACHABLE", `registry ${where}: its TLS certificate is not trusted (${code})`);
  fail("ENGINE_UNREACHABLE", `registry ${where} cannot be reached: ${reason}`);
}

/**
 * A registry session: one endpoint, its token cache per scope, and one deadline
 * for the whole call (`signal`). Credentials go only to the registry and to the
 * token realm it names.
 */
export class RegistrySession {
  private readonly base: string;
  private readonly tokens = new Map<string, string>();
  /** Basic, once the registry asked for it. */
  private basic = false;

  constructor(
    readonly endpoint: Endpoint,
    private readonly signal: AbortSignal,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.base = `${endpoint.insecure ? "http" : "https"}://${apiHost(endpoint.url)}`;
  }

  get where(): string {
    return this.endpoint.url;
  }

  private async fetchOnce(url: string, init: RequestInit, max: number, what: string): Promise<RegistryResponse> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, redirect: "follow", signal: AbortSignal.any([this.signal, AbortSignal.timeout(this.timeoutMs)]) });
      const body = init.method === "HEAD" ? Buffer.alloc(0) : await readBounded(res, max, what);
      return { status: res.status, headers: res.headers, body };
    } catch (err) {
      networkFailure(err, this.where, this.endpoint.insecure, this.timeoutMs);
    }
  }

  private basicHeader(): string | undefined {
    const a = this.endpoint.auth;
    return a ? `Basic ${Buffer.from(`${a.username}:${a.password}`).toString("base64")}` : undefined;
  }

  /** A Bearer token for `scope` from the realm the registry named. */
  private async token(params: Record<string, string>, scope: string): Promise<string> {
    const cached = this.tokens.get(scope);
    if (cached) return cached;
    let realm: URL;
    try {
      realm = new URL(params.realm ?? "");
    } catch {
      fail("INTERNAL", `registry ${this.where} asked for a token from an invalid realm`);
    }
    if (realm.protocol !== "https:" && realm.protocol !== "http:") fail("INTERNAL", `registry ${this.where} asked for a token from a ${realm.protocol} realm`);
    if (params.service) realm.searchParams.set("service", params.service);
    if (scope) realm.searchParams.set("scope", scope);
    // Plain-HTTP realms get the password only when the registry itself is plain HTTP (as configured).
    const auth = realm.protocol === "https:" || this.endpoint.insecure ? this.basicHeader() : undefined;
    const res = await this.fetchOnce(realm.toString(), { headers: auth ? { authorization: auth } : {} }, 64 * 1024, "token");
    if (res.status === 401 || res.status === 403) {
      fail("UNAUTHORIZED", `registry ${this.where}: ${this.endpoint.auth ? "the user name or password is wrong" : "it needs credentials"} (the token service answered HTTP ${res.status})`);
    }
    if (res.status !== 200) fail("INTERNAL", `registry ${this.where}: the token service answered HTTP ${res.status}`);
    let token: unknown;
    try {
      const json = JSON.parse(res.body.toString("utf8")) as { token?: unknown; access_token?: unknown };
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== "string" || token === "" || token.length > 32 * 1024) fail("INTERNAL", `registry ${this.where}: the token service answered without a token`);
    this.tokens.set(scope, token);
    return token;
  }

  /**
   * `path` (starting /v2/) with the credentials the registry asks for: tried as
   * is (or with a token already held), then once more after its 401 challenge.
   */
  async request(path: string, opts: { method?: string; accept?: string[]; scope: string; max?: number; what: string }): Promise<RegistryResponse> {
    const url = `${this.base}${path}`;
    const headers = (auth?: string): Record<string, string> => ({
      ...(opts.accept ? { accept: opts.accept.join(", ") } : {}),
      ...(auth ? { authorization: auth } : {}),
    });
    const held = this.tokens.get(opts.scope);
    const first = held ? `Bearer ${held}` : this.basic ? this.basicHeader() : undefined;
    const init = (auth?: string): RequestInit => ({ method: opts.method ?? "GET", headers: headers(auth) });
    const max = opts.max ?? BODY_MAX;
    const res = await this.fetchOnce(url, init(first), max, opts.what);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get("www-authenticate") ?? "");
    if (challenge.scheme === "basic") {
      if (!this.endpoint.auth || this.basic) fail("UNAUTHORIZED", this.unauthorized(res.status));
      this.basic = true;
      const again = await this.fetchOnce(url, init(this.basicHeader()), max, opts.what);
      if (again.status === 401) fail("UNAUTHORIZED", this.unauthorized(401));
      return again;
    }
    if (challenge.scheme === "bearer" && challenge.params.realm && !held) {
      const token = await this.token(challenge.params, challenge.params.scope ?? opts.scope);
      this.tokens.set(opts.scope, token);
      const again = await this.fetchOnce(url, init(`Bearer ${token}`), max, opts.what);
      if (again.status === 401) fail("UNAUTHORIZED", this.unauthorized(401));
      return again;
    }
    fail("UNAUTHORIZED", this.unauthorized(res.status));
  }

  unauthorized(status: number): string {
    return this.endpoint.auth
      ? `registry ${this.where} refused the credentials (HTTP ${status}): the user name or password is wrong, or lacks access`
      : `registry ${this.where} needs credentials (HTTP ${status}): add a username and password to it`;
  }

  /** The registry's own error text (`{"errors":[{"code","message"}]}`), short. */
  static errorText(res: RegistryResponse): string {
    try {
      const json = JSON.parse(res.body.toString("utf8")) as { errors?: { code?: string; message?: string }[] };
      const e = json.errors?.[0];
      if (e) return [e.code, e.message].filter(Boolean).join(": ").slice(0, 300);
    } catch {
      // not JSON: the status says it
    }
    return `HTTP ${res.status}`;
  }
}
