/**
 * A bare HTTP client for the sign-in flow, for tests that must choose the
 * source address (Berth takes the client address from the socket: on Linux a
 * socket bound to 127.0.0.2 reaches 127.0.0.1) and hold cookies by hand (a
 * `__Secure-` cookie set behind a TLS-terminating proxy travels over plain
 * HTTP from the proxy to Berth).
 */
import http from "node:http";

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class Jar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(setCookie: string[] | undefined) {
    for (const line of setCookie ?? []) {
      const [pair = "", ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = !value || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface Client {
  base: string;
  /** Local address of the client socket. */
  from?: string;
  jar: Jar;
  /** Sent with every request (e.g. X-Forwarded-Proto). */
  headers?: Record<string, string>;
}

export function send(c: Client, method: string, pathname: string, opts: { body?: string; type?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(pathname, c.base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: c.from,
        headers: {
          ...(c.jar.cookies.size ? { Cookie: c.jar.header() } : {}),
          ...(opts.body !== undefined ? { "Content-Type": opts.type ?? "application/json", "Content-Length": Buffer.byteLength(opts.body) } : {}),
          ...c.headers,
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          c.jar.take(res.headers["set-cookie"]);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

async function csrf(c: Client): Promise<string> {
  const res = await send(c, "GET", "/api/auth/csrf");
  return (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
}

const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), type: "application/x-www-form-urlencoded" });

/** Signs in as next-auth/react's signIn() does; `error` is next-auth's error text, if any. */
export async function signIn(c: Client, username: string, password: string): Promise<Reply & { error: string | null; json: Record<string, unknown> }> {
  const csrfToken = await csrf(c);
  const res = await send(c, "POST", "/api/auth/callback/credentials", form({ username, password, csrfToken, callbackUrl: c.base, json: "true" }));
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    // not JSON: left empty, the status tells
  }
  const error = typeof json.url === "string" ? new URL(json.url).searchParams.get("error") : null;
  return { ...res, json, error };
}

export async function signOut(c: Client): Promise<Reply> {
  const csrfToken = await csrf(c);
  return send(c, "POST", "/api/auth/signout", form({ csrfToken, callbackUrl: c.base, json: "true" }));
}

/** A tRPC query (GET) or mutation (POST, with the page's own Origin as a browser sends it). */
export function trpc(c: Client, proc: string, input?: unknown, kind: "query" | "mutation" = "query"): Promise<Reply> {
  if (kind === "query") return send(c, "GET", `/api/trpc/${proc}`);
  return send(c, "POST", `/api/trpc/${proc}`, { body: JSON.stringify({ json: input ?? null }), headers: { Origin: c.base } });
}
