/**
 * HTTPS on a throwaway Berth started with BERTH_TLS=on: the second port answers
 * with the self-signed certificate made in the data directory (verified
 * against that certificate, not with verification off); signing in there sets
 * `Secure` cookies and the console's WebSocket works over wss; a restart
 * reuses the certificate.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { startBerth, type StartedBerth } from "../support/start-berth";
import { ADMIN } from "./env";
import { freePort } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 180_000 });

let berth: StartedBerth;
let dir: string;
let tlsPort: number;
const tlsEnv = () => ({ BERTH_TLS: "on", BERTH_TLS_PORT: String(tlsPort) }) as unknown as NodeJS.ProcessEnv;
const tlsUrl = () => `https://127.0.0.1:${tlsPort}`;
const certFile = () => path.join(berth.dataDir, "tls", "cert.pem");

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "https-"));
  tlsPort = await freePort();
  berth = await startBerth({ dir, env: tlsEnv() });
  await new BerthApi(berth.url).signIn(berth.token);
});

test.afterAll(async () => {
  await berth?.stop();
});

/** A GET over https that trusts only `ca` (Node's fetch takes no CA of its own). */
function httpsGet(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

test("HTTPS answers on its own port with the self-signed certificate made in the data directory", async () => {
  expect(berth.log()).toMatch(new RegExp(`listening on https://127\\.0\\.0\\.1:${tlsPort} \\(new self-signed certificate`));
  const cert = fs.readFileSync(certFile(), "utf8");
  expect(fs.statSync(path.join(berth.dataDir, "tls", "key.pem")).mode & 0o777).toBe(0o600);
  expect(new crypto.X509Certificate(cert).subjectAltName).toContain("IP Address:127.0.0.1");

  const health = await httpsGet(`${tlsUrl()}/api/health`, cert);
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toMatchObject({ status: "ok" });
  // Verified against that certificate: without it, the same request is refused.
  await expect(httpsGet(`${tlsUrl()}/api/health`)).rejects.toThrow(/self[- ]signed/i);
  // The plain port still answers.
  expect((await fetch(`${berth.url}/api/health`)).status).toBe(200);
});

test("signing in over HTTPS sets Secure cookies, and the console and its WebSocket work there", async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  let framesOverWss = 0;
  page.on("websocket", (ws) => {
    if (ws.url().startsWith(`wss://127.0.0.1:${tlsPort}/api/ws`)) ws.on("framereceived", () => framesOverWss++);
  });
  await page.goto(`${tlsUrl()}/`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  const callback = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  const setCookie = (await (await callback).headersArray()).filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);
  const session = setCookie.find((c) => c.startsWith("__Secure-next-auth.session-token="));
  expect(session, setCookie.join("\n")).toBeDefined();
  expect(session).toMatch(/;\s*Secure/i);
  expect(session).toMatch(/;\s*HttpOnly/i);
  await expect(page).not.toHaveURL(/\/login/);
  expect(page.url().startsWith(tlsUrl())).toBe(true);

  const cookie = (await context.cookies()).find((c) => c.name === "__Secure-next-auth.session-token");
  expect(cookie).toMatchObject({ secure: true, httpOnly: true });
  await expect.poll(() => framesOverWss, { timeout: 20_000 }).toBeGreaterThan(0);
  await context.close();
});

test("a restart reuses the certificate", async () => {
  const before = fs.readFileSync(certFile(), "utf8");
  await berth.stop();
  berth = await startBerth({ dir, env: tlsEnv() });
  expect(fs.readFileSync(certFile(), "utf8")).toBe(before);
  // The log is appended to: wait for this start's line (health answers a moment before it is printed).
  await expect.poll(() => berth.log(), { timeout: 30_000 }).toMatch(new RegExp(`listening on https://127\\.0\\.0\\.1:${tlsPort} \\(self-signed certificate`));
  expect((await httpsGet(`${tlsUrl()}/api/health`, before)).status).toBe(200);
});
