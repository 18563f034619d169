/**
 * The dashboard's HTTP front: capped and checked tRPC inputs, clear errors,
 * security headers on every answer, cross-origin requests refused, and a
 * health check that says which part is down.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import WebSocket from "ws";
import { baseUrl, e2eDir } from "./env";
import { dockerQuiet, signIn } from "./helpers";

const CREATE = "/api/trpc/containerCreate.create";

async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

/** The tRPC error of a non-batched call (superjson puts it under `json`). */
async function trpcError(res: { json(): Promise<unknown> }): Promise<{ message: string; data: { code: string; httpStatus: number; field?: string; stack?: string } }> {
  return ((await res.json()) as { error: { json: never } }).error.json;
}

/**
 * A request as a browser never sends it (any method, the path's bytes as given),
 * on a connection of its own: Node's parser takes a TRACE's body for the next request.
 */
function raw(method: string, p: string, cookie: string, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl());
    const req = http.request({ host: url.hostname, port: url.port, method, path: p, agent: false, headers: { cookie, origin: baseUrl(), "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function nonceOf(csp: string): string {
  return /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
}

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, `${what}: CSP`).toContain("default-src 'self'");
  expect(csp, `${what}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${what}: CSP`).not.toContain("unsafe-eval");
  expect(nonceOf(csp), `${what}: CSP nonce`).not.toBe("");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("same-origin");
}

test.describe("signed in", () => {
  test.beforeEach(async ({ page }) => signIn(page, "/"));
  // Only created if the 413 below regressed.
  test.afterAll(() => dockerQuiet("rm", "-f", "berth-c-hardening-big"));

  test("every answer carries the security headers; pages and API answers are never cached", async ({ page }) => {
    for (const p of ["/", "/containers", "/login", "/api/health", "/api/trpc/session.me"]) {
      const res = await page.request.get(p, { maxRedirects: 0 });
      expectSecurityHeaders(res.headers(), p);
      const cache = res.headers()["cache-control"] ?? "";
      expect(cache, `${p}: Cache-Control`).toContain("no-store");
      expect(cache, `${p}: Cache-Control`).not.toMatch(/s-maxage|public/);
    }
    // A fresh nonce per answer.
    const a = nonceOf((await page.request.get("/")).headers()["content-security-policy"]);
    const b = nonceOf((await page.request.get("/")).headers()["content-security-policy"]);
    expect(a).not.toBe(b);
    // Content-hashed build output keeps its long caching.
    const html = await (await page.request.get("/")).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    expect((await page.request.get(asset!)).headers()["cache-control"]).toContain("immutable");
  });

  test("pages hydrate under the CSP, with no violation", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
    });
    page.on("pageerror", (e) => violations.push(String(e)));
    for (const p of ["/e/local", "/e/local/containers", "/e/local/logs", "/audit"]) {
      const res = await page.goto(p);
      const csp = res!.headers()["content-security-policy"];
      expect(csp).toContain("'strict-dynamic'");
      // Next's inline scripts carry this answer's nonce (the browser hides it from attribute reads; the property keeps it).
      const nonces = await page.locator("script:not([src])").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
      expect(nonces.length).toBeGreaterThan(0);
      expect(new Set(nonces)).toEqual(new Set([nonceOf(csp)]));
      // Client code ran: the user menu is filled in by a tRPC query.
      await expect(page.getByLabel("User menu")).toHaveText("admin");
    }
    await page.getByRole("link", { name: "Containers" }).click();
    await expect(page).toHaveURL(/\/containers$/);
    expect(violations).toEqual([]);
  });

  test("a page from another origin cannot frame the dashboard", async ({ page }) => {
    // Same site, other port: the browser sends the session cookie along, as it did when framing worked.
    const framer = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><iframe src="${baseUrl()}/" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    try {
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      const child = page.frames().find((f) => f !== page.mainFrame());
      expect(child).toBeTruthy();
      // The browser refuses to render it: the frame holds its error page, not the dashboard.
      await expect.poll(() => child!.evaluate(() => location.href).catch((e: Error) => e.message), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    } finally {
      framer.close();
    }
  });

  test("tRPC bodies over 1 MB are refused with 413, without being read", async ({ page }) => {
    const big = await page.request.post(CREATE, { data: { json: { spec: { image: "busybox", name: "berth-c-hardening-big", labels: { x: "a".repeat(2 * 1024 * 1024) } }, createOnly: true } } });
    expect(big.status()).toBe(413);
    const err = await trpcError(big);
    expect(err.message).toBe("request body too large (max 1 MB)");
    expect(err.data.code).toBe("PAYLOAD_TOO_LARGE");

    // A 100 MB chunked body: the answer comes (and the connection closes) after a few MB, not after all of it.
    const cookie = await cookieHeader(page);
    const url = new URL(CREATE, baseUrl());
    const result = await new Promise<{ status: number; sent: number; body: string }>((resolve, reject) => {
      const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", cookie } });
      let sent = 0;
      let done = false;
      const chunk = Buffer.alloc(64 * 1024, "a");
      const pump = () => {
        while (!done && sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!done) req.end();
      };
      req.on("response", (res) => {
        done = true;
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, sent, body }));
        res.on("error", reject);
      });
      req.on("error", (err) => (done ? undefined : reject(err)));
      req.write('{"json":{"spec":{"image":"');
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.body).toContain("request body too large (max 1 MB)");
    expect(result.sent).toBeLessThan(32 * 1024 * 1024);
  });

  test("deep nesting, NUL characters and malformed download ids are 400s naming what is wrong", async ({ page }) => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const res = await page.request.post(CREATE, {
      headers: { "content-type": "application/json" },
      data: `{"json":{"spec":{"image":"busybox","cmd":${deep}},"createOnly":true}}`,
    });
    expect(res.status()).toBe(400);
    expect((await trpcError(res)).message).toMatch(/^request body nested too deep \(max \d+\)$/);

    const deepGet = await page.request.get(`/api/trpc/session.me?input=${encodeURIComponent("[".repeat(500) + "]".repeat(500))}`);
    expect(deepGet.status()).toBe(400);

    const nul = await page.request.post(CREATE, { data: { json: { spec: { image: "busy\u0000box" }, createOnly: true } } });
    expect(nul.status()).toBe(400);
    const nulErr = await trpcError(nul);
    expect(nulErr.message).toContain("spec.image");
    expect(nulErr.data.field).toBe("spec.image");
    expect(nulErr.data.stack).toBeFalsy();

    const logBefore = fs.readFileSync(path.join(e2eDir(), "berth.log"), "utf8").length;
    for (const route of ["/api/e/local/containers/%ZZ/export", "/api/e/local/containers/%ZZ/logs/download"]) {
      const bad = await page.request.get(route);
      expect(bad.status(), route).toBe(400);
      expect(await bad.text(), route).toContain('"%ZZ"');
    }
    const notAnId = await page.request.get("/api/e/local/containers/..%2F..%2Fetc/export");
    expect(notAnId.status()).toBe(400);
    expect(await notAnId.text()).toContain("../../etc");
    const logAfter = fs.readFileSync(path.join(e2eDir(), "berth.log"), "utf8").slice(logBefore);
    expect(logAfter).not.toMatch(/URIError|\n\s+at /);
  });

  test("paths with broken percent-encoding are 400s; unsupported methods are 405s with Allow", async ({ page }) => {
    const cookie = await cookieHeader(page);
    const logBefore = fs.readFileSync(path.join(e2eDir(), "berth.log"), "utf8").length;
    for (const p of ["/containers/%C0%AF", "/containers/%", "/api/auth/%", "/api/auth/%FF", "/api/auth/%ZZ", "/api/trpc/%E0%A4%A"]) {
      const res = await raw("GET", p, cookie);
      expect(res.status, p).toBe(400);
      expect(res.body, p).toBe("malformed URL: bad percent-encoding in the path");
    }
    // TRACE is one of the methods a fetch Request refuses to carry (tRPC and Next build one).
    for (const [method, p] of [["TRACE", "/api/trpc/session.me"], ["TRACE", "/containers"], ["PUT", "/api/trpc/containers.start"], ["DELETE", "/api/e/local/logs/download"]]) {
      const res = await raw(method, p, cookie, method === "TRACE" ? undefined : "{}");
      expect(res.status, `${method} ${p}`).toBe(405);
      expect(res.headers.allow, `${method} ${p}`).toBe("GET, HEAD, POST");
      expect(res.body, `${method} ${p}`).toContain(`"${method}" is not supported`);
    }
    // Well-formed escapes still reach the page.
    expect((await raw("GET", "/containers/%E2%9C%93", cookie)).status).not.toBe(400);
    const logAfter = fs.readFileSync(path.join(e2eDir(), "berth.log"), "utf8").slice(logBefore);
    expect(logAfter).not.toMatch(/URIError|is unsupported|\n\s+at /);
  });

  test("lone surrogates in tRPC inputs are 400s naming the field, never audit or database errors", async ({ page }) => {
    const start = await page.request.post("/api/trpc/containers.start", { data: { json: { id: "berth-fuzz-\ud800" } } });
    expect(start.status()).toBe(400);
    const startErr = await trpcError(start);
    expect(startErr.message).toMatch(/^id: must not contain lone surrogates/);
    expect(startErr.data.field).toBe("id");

    const list = await page.request.get(`/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { action: "\udfff" } }))}`);
    expect(list.status()).toBe(400);
    expect((await trpcError(list)).data.field).toBe("action");
    // A surrogate pair is text like any other.
    const pair = await page.request.get(`/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { action: "\ud83d\ude00" } }))}`);
    expect(pair.status()).toBe(200);
  });

  test("WebSocket frames over 1 MB are refused with 1009, not buffered", async ({ page }) => {
    const res = await page.request.post("/api/trpc/ws.ticket", { data: { json: null } });
    const { ticket } = (await res.json()).result.data.json;
    const ws = new WebSocket(`${baseUrl().replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: baseUrl() } });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.on("error", () => undefined);
    ws.send(JSON.stringify({ op: "logs.open", sid: "big", params: { id: "x".repeat(2 * 1024 * 1024) } }));
    // Without the cap the frame is taken whole and the socket stays open.
    expect(await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve("still open"), 15_000))])).toBe(1009);
    ws.close();
  });

  test("cross-origin tRPC calls and form posts are refused", async ({ page }) => {
    const own = await page.request.post("/api/trpc/ws.ticket", { headers: { origin: baseUrl() }, data: { json: null } });
    expect(own.status()).toBe(200);

    const evil = await page.request.post("/api/trpc/ws.ticket", { headers: { origin: "http://evil.example" }, data: { json: null } });
    expect(evil.status()).toBe(403);
    expect((await trpcError(evil)).message).toContain('Origin "http://evil.example"');

    const evilGet = await page.request.get("/api/trpc/session.me", { headers: { origin: "http://evil.example" } });
    expect(evilGet.status()).toBe(403);

    const crossSite = await page.request.post("/api/trpc/ws.ticket", { headers: { "sec-fetch-site": "cross-site" }, data: { json: null } });
    expect(crossSite.status()).toBe(403);

    // What an HTML form on another page can send: refused even without an Origin.
    const multipart = await page.request.post("/api/trpc/ws.ticket", { multipart: { json: "null" } });
    expect(multipart.status()).toBe(415);
    expect((await trpcError(multipart)).message).toContain("application/json");
    const text = await page.request.post("/api/trpc/ws.ticket", { headers: { "content-type": "text/plain" }, data: '{"json":null}' });
    expect(text.status()).toBe(415);

    const evilExport = await page.request.get("/api/e/local/containers/whatever/export", { headers: { origin: "http://evil.example" } });
    expect(evilExport.status()).toBe(403);

    // next-auth keeps its own CSRF protection, and still works: sign out and in again.
    const csrf = await page.request.get("/api/auth/csrf");
    expect(csrf.status()).toBe(200);
  });
});

test("health says ok when the runtime answers and the database is writable", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", runtime: { ok: true }, database: { ok: true }, engine: { reachable: true } });
});

test("the icon and logo are static files from public/, served without sign-in and linked from the pages", async ({ request }) => {
  for (const file of ["/favicon.svg", "/logo.svg"]) {
    const res = await request.get(file);
    expect(res.status(), file).toBe(200);
    expect(res.headers()["content-type"]).toContain("image/svg+xml");
    expect(await res.text()).toContain("<svg");
  }
  const login = await (await request.get("/login")).text();
  expect(login).toContain('href="/favicon.svg"');
});
