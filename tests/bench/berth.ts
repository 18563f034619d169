/**
 * A Berth instance for the benchmark: started with the real start command on
 * a free port and a fresh data directory, with an administrator, a session
 * cookie and WebSocket tickets, as a browser would have them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { processTree } from "../../server/proc";
import { freePort } from "../support/free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const ADMIN = { username: "bench", password: "measuring berth, pass 123" };

export class Berth {
  cookie = "";
  /** "" once asked and there is none. */
  private envId: string | undefined;
  private constructor(
    readonly url: string,
    readonly dataDir: string,
    readonly proc: ChildProcess,
  ) {}

  static async start(workDir: string): Promise<Berth> {
    const port = await freePort();
    const dataDir = path.join(workDir, "berth-data");
    const log = path.join(workDir, "berth.log");
    const out = fs.openSync(log, "a");
    const proc = spawn("bash", ["server/bin/start.sh"], {
      cwd: ROOT,
      env: { ...process.env, BERTH_PORT: String(port), BERTH_HOST: "127.0.0.1", BERTH_DATA_DIR: dataDir },
      stdio: ["ignore", out, out],
    });
    fs.writeFileSync(path.join(workDir, "berth-bench.pid"), String(proc.pid));
    const berth = new Berth(`http://127.0.0.1:${port}`, dataDir, proc);
    // The first start of a fresh build folder builds it (next build, then the compile).
    const deadline = Date.now() + 600_000;
    let token: string | undefined;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`Berth exited:\n${fs.readFileSync(log, "utf8")}`);
      token ??= /^Setup token: (\S+)$/m.exec(fs.readFileSync(log, "utf8"))?.[1];
      if (token) {
        const health = await fetch(`${berth.url}/api/health`).then((r) => r.json()).catch(() => null);
        if (health?.engine?.reachable) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    if (!token) throw new Error("Berth did not print a setup token");
    await berth.trpc("setup.createAdmin", { setupToken: token, ...ADMIN, confirmPassword: ADMIN.password });
    await berth.signIn();
    return berth;
  }

  async trpc(procedure: string, input: unknown): Promise<unknown> {
    const res = await fetch(`${this.url}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: this.cookie },
      body: JSON.stringify({ json: input }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`${procedure}: ${JSON.stringify(body.error?.json?.message ?? body)}`);
    return body.result.data.json;
  }

  async query(procedure: string, input: unknown): Promise<unknown> {
    const q = encodeURIComponent(JSON.stringify({ json: input }));
    const res = await fetch(`${this.url}/api/trpc/${procedure}?input=${q}`, { headers: { cookie: this.cookie } });
    const body = await res.json();
    if (!res.ok) throw new Error(`${procedure}: ${JSON.stringify(body.error?.json?.message ?? body)}`);
    return body.result.data.json;
  }

  private async signIn() {
    const csrfRes = await fetch(`${this.url}/api/auth/csrf`);
    const { csrfToken } = await csrfRes.json();
    const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const res = await fetch(`${this.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
      body: new URLSearchParams({ csrfToken, ...ADMIN, json: "true" }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    if (!session) throw new Error(`sign-in failed: ${res.status}`);
    this.cookie = session.split(";")[0]!;
  }

  /** A signed-in WebSocket to /api/ws, as a page opens it. */
  async socket(): Promise<WebSocket> {
    const { ticket } = (await this.trpc("ws.ticket", null)) as { ticket: string };
    const ws = new WebSocket(`${this.url.replace("http", "ws")}/api/ws?ticket=${ticket}`, {
      headers: { Origin: this.url },
      perMessageDeflate: false,
      // Like the raw client, which counts bytes without validating them.
      skipUTF8Validation: true,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return ws;
  }

  /**
   * The environment the bench measures: the first one the dashboard lists
   * (none is assumed by name). Before environments existed, calls took none.
   */
  async environment(): Promise<string | undefined> {
    if (this.envId !== undefined) return this.envId || undefined;
    try {
      const list = (await this.query("environments.list", null)) as { id: string }[] | { items: { id: string }[] };
      this.envId = (Array.isArray(list) ? list : list.items)[0]?.id ?? "";
    } catch {
      // Without that procedure: where `/` leads a signed-in page (the default environment).
      const res = await fetch(`${this.url}/`, { headers: { cookie: this.cookie } }).catch(() => null);
      this.envId = (res && /\/e\/([^/?#]+)/.exec(res.url)?.[1]) || "";
    }
    return this.envId || undefined;
  }

  /** `input` with the measured environment, when calls take one. */
  async withEnv<T extends object>(input: T): Promise<T & { env?: string }> {
    const env = await this.environment();
    return env ? { ...input, env } : input;
  }

  /**
   * Every process the start command left running (itself, once exec'd into the
   * dashboard, and all its descendants), with its resident memory from /proc.
   */
  processes(): { pid: number; name: string; rss: number; pss: number }[] {
    return processTree(this.proc.pid!).map(({ pid, cmd }) => ({
      pid,
      name: cmd.split(" ").filter(Boolean).map((a) => path.basename(a)).slice(0, 3).join(" "),
      rss: readRss(pid),
      pss: readPss(pid),
    }));
  }

  /** The dashboard's and the runtime's process ids. */
  pids(): { dashboard: number; runtime: number } {
    return { dashboard: this.proc.pid!, runtime: Number(fs.readFileSync(path.join(this.dataDir, "runtime.pid"), "utf8")) };
  }

  /** Resident memory of the dashboard and of the runtime, in bytes (from /proc). */
  rss(): { dashboard: number; runtime: number } {
    const { dashboard, runtime } = this.pids();
    return { dashboard: readRss(dashboard), runtime: readRss(runtime) };
  }

  async stop() {
    this.proc.kill("SIGTERM");
    await new Promise((r) => this.proc.once("exit", r));
  }
}

function readRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size: shared pages (the node binary's, mapped by both processes) counted once overall. */
function readPss(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
