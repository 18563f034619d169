/**
 * A signed-in API client for a Berth started by startBerth: creates the
 * administrator with the printed setup token, signs in through next-auth's
 * credentials flow as the login page does, and calls tRPC procedures.
 */
import { ADMIN } from "../e2e/env";

export interface TrpcReply {
  status: number;
  /** The raw body, for size checks. */
  text: string;
  data?: unknown;
  error?: { message: string; code?: string; data?: Record<string, unknown> };
}

export class BerthApi {
  private cookie = "";
  constructor(readonly url: string) {}

  private async send(procedure: string, init: RequestInit & { query?: unknown }): Promise<TrpcReply> {
    const q = init.query === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: init.query }))}`;
    const res = await fetch(`${this.url}/api/trpc/${procedure}${q}`, {
      ...init,
      headers: { "content-type": "application/json", origin: this.url, cookie: this.cookie, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    let body: { result?: { data?: { json?: unknown } }; error?: { json?: TrpcReply["error"] } } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, text, data: body.result?.data?.json, error: body.error?.json };
  }

  mutate(procedure: string, input: unknown): Promise<TrpcReply> {
    return this.send(procedure, { method: "POST", body: JSON.stringify({ json: input }) });
  }

  query(procedure: string, input: unknown): Promise<TrpcReply> {
    return this.send(procedure, { method: "GET", query: input });
  }

  /** A plain signed-in GET (downloads). */
  get(pathname: string): Promise<Response> {
    return fetch(`${this.url}${pathname}`, { headers: { cookie: this.cookie } });
  }

  /** Creates the administrator (when `setupToken` is given) and signs in as it (or as `as`). */
  async signIn(setupToken?: string, as: { username: string; password: string } = ADMIN): Promise<this> {
    if (setupToken) {
      const r = await this.mutate("setup.createAdmin", { setupToken, ...ADMIN, confirmPassword: ADMIN.password });
      if (r.status !== 200) throw new Error(`setup failed: ${r.status} ${r.text.slice(0, 500)}`);
    }
    const csrfRes = await fetch(`${this.url}/api/auth/csrf`);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const res = await fetch(`${this.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: this.url },
      body: new URLSearchParams({ csrfToken, username: as.username, password: as.password, json: "true" }),
    });
    const session = res.headers.getSetCookie().find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
    if (!session) throw new Error(`sign-in failed: HTTP ${res.status}`);
    this.cookie = session.split(";")[0]!;
    return this;
  }
}
