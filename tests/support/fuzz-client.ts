/**
 * The fuzz test's HTTP and WebSocket client: raw enough to send what a browser
 * never would (bytes that are not UTF-8, bodies of several MB, wrong methods),
 * with a deadline on every request and a session signed in through next-auth's
 * own credentials flow, as the login page does.
 */
import http from "node:http";
import WebSocket from "ws";

export interface Reply {
  /** 0 when no HTTP answer came (see `error`). */
  status: number;
  body: string;
  ms: number;
  error?: string;
}

export interface RequestOptions {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send the session cookie (default true). */
  auth?: boolean;
  timeoutMs?: number;
  /** Keep the cookies the answer sets (only the sign-in flow's own calls do). */
  keepCookies?: boolean;
}

const BODY_KEEP = 64 * 1024;

export class FuzzClient {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keepCookies(res: http.IncomingMessage) {
    for (const line of res.headers["set-cookie"] ?? []) {
      const [pair] = line.split(";");
      const i = pair!.indexOf("=");
      if (i > 0) this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
  }

  /** One request; a kept-alive socket the server closed meanwhile is retried once on a fresh one. */
  async request(opts: RequestOptions): Promise<Reply> {
    const first = await this.once(opts);
    return first.stale ? this.once(opts) : first;
  }

  private once(opts: RequestOptions): Promise<Reply & { stale?: boolean }> {
    const started = Date.now();
    const url = new URL(this.baseUrl);
    const headers: Record<string, string> = { ...(opts.auth === false ? {} : { cookie: this.cookieHeader }), ...opts.headers };
    if (opts.body !== undefined) headers["content-length"] = String(Buffer.byteLength(opts.body));
    return new Promise((resolve) => {
      let settled = false;
      let status = 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      const done = (error?: string, stale?: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, body: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started, ...(error ? { error } : {}), ...(stale ? { stale } : {}) });
      };
      const req = http.request({ host: url.hostname, port: url.port, method: opts.method, path: opts.path, headers, agent: this.agent }, (res) => {
        status = res.statusCode ?? 0;
        if (opts.keepCookies) this.keepCookies(res);
        res.on("data", (c: Buffer) => {
          if (kept < BODY_KEEP) chunks.push(c);
          kept += c.length;
        });
        res.on("end", () => done());
        res.on("error", (e) => done(`response: ${e.message}`));
      });
      const timer = setTimeout(() => {
        done(`no answer within ${opts.timeoutMs ?? 15_000} ms`);
        req.destroy();
      }, opts.timeoutMs ?? 15_000);
      req.on("error", (e) => {
        const code = (e as NodeJS.ErrnoException).code ?? e.message;
        // An early answer (413) may close the socket while the body is still being written:
        // the answer counts, the write error does not.
        if (status) return done();
        done(`request: ${code}`, req.reusedSocket && code === "ECONNRESET");
      });
      req.end(opts.body);
    });
  }

  /** Signs in with next-auth's credentials flow; true when a session cookie came back. */
  async signIn(username: string, password: string): Promise<boolean> {
    const csrf = await this.csrf();
    const res = await this.request({
      method: "POST",
      path: "/api/auth/callback/credentials",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf, username, password, callbackUrl: "/", json: "true" }).toString(),
      keepCookies: true,
    });
    return res.status < 400 && [...this.cookies.keys()].some((k) => k.endsWith("next-auth.session-token"));
  }

  async csrf(): Promise<string> {
    const res = await this.request({ method: "GET", path: "/api/auth/csrf", keepCookies: true });
    try {
      return (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
    } catch {
      throw new Error(`/api/auth/csrf answered ${res.status || res.error}: ${res.body.slice(0, 300)}`);
    }
  }

  /** A tRPC call in the wire format the app's client uses. */
  trpc(type: "query" | "mutation", path: string, input: unknown, timeoutMs?: number): Promise<Reply> {
    const wire = JSON.stringify({ json: input ?? null });
    return type === "query"
      ? this.request({ method: "GET", path: `/api/trpc/${path}?input=${encodeURIComponent(wire)}`, timeoutMs })
      : this.request({ method: "POST", path: `/api/trpc/${path}`, body: wire, headers: { "content-type": "application/json" }, timeoutMs });
  }

  async ticket(): Promise<string> {
    const res = await this.trpc("mutation", "ws.ticket", null);
    if (res.status !== 200) throw new Error(`ws.ticket answered ${res.status}: ${res.body.slice(0, 300)}`);
    return (JSON.parse(res.body) as { result: { data: { json: { ticket: string } } } }).result.data.json.ticket;
  }

  /** A signed-in page's WebSocket (fresh ticket, the page's own Origin), once open. */
  async openSocket(): Promise<WebSocket> {
    const ticket = await this.ticket();
    const ws = new WebSocket(`${this.baseUrl.replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: this.baseUrl }, maxPayload: 256 << 20 });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`WebSocket upgrade refused: ${res.statusCode}`)));
    });
    return ws;
  }

  close() {
    this.agent.destroy();
  }
}
