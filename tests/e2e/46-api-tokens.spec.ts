/**
 * API tokens and the REST API: the administrator creates a token on the Account
 * page (shown once), lists containers over REST with it (Bearer and X-API-Key),
 * including one made with `docker run`; errors are HTTP codes naming the field;
 * the token can neither mint another token nor open the WebSocket; a container
 * stopped by token is in the audit history under the token's user; after Revoke
 * in the page the token gets 401.
 */
import { expect, test, type Page } from "@playwright/test";
import { baseUrl } from "./env";
import { docker, dockerQuiet, inspect, signIn } from "./helpers";

const NAME = `e2e-api-${process.pid}`;
const TOKEN_NAME = `e2e token ${process.pid}`;
let token = "";

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

interface Call {
  method?: "GET" | "POST";
  body?: unknown;
  /** How the token is sent (default: Authorization: Bearer); "none": no credential. */
  as?: "bearer" | "key" | "none";
  token?: string;
  headers?: Record<string, string>;
}

// The answers are read field by field below; a schema per call would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rest(path: string, call: Call = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const t = call.token ?? token;
  const headers: Record<string, string> = { ...call.headers };
  if (call.as !== "none") {
    if (call.as === "key") headers["x-api-key"] = t;
    else headers.authorization = `Bearer ${t}`;
  }
  if (call.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${baseUrl()}/api/v1/${path}`, {
    method: call.method ?? (call.body === undefined ? "GET" : "POST"),
    headers,
    body: call.body === undefined ? undefined : typeof call.body === "string" ? call.body : JSON.stringify(call.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body, headers: res.headers };
}

const names = (list: { name: string }[]) => list.map((c) => c.name);
const tokenRow = (page: Page) => page.getByRole("table", { name: "API tokens" }).locator(`tr[data-token="${TOKEN_NAME}"]`);

test("an administrator creates an API token on the Account page; its value is shown once", async ({ page }) => {
  await signIn(page, "/account");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await page.getByLabel("Token name").fill(TOKEN_NAME);
  await page.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await page.getByRole("button", { name: "Create token" }).click();
  const value = page.getByLabel("New API token value");
  await expect(value).toHaveValue(/^berth_[A-Za-z0-9_-]{43}$/);
  token = await value.inputValue();
  await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();
  await expect(tokenRow(page)).toContainText(token.slice(0, 12));
  await expect(tokenRow(page)).toContainText("Never used");

  // Once: after Done, and on a fresh load, the value is nowhere on the page.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(value).toHaveCount(0);
  await page.reload();
  await expect(tokenRow(page)).toBeVisible();
  expect(await page.content()).not.toContain(token.slice(12));
});

test("the token lists containers over REST, by Authorization: Bearer and by X-API-Key", async ({ page }) => {
  docker("run", "-d", "--name", NAME, "busybox", "sleep", "600");
  await expect
    .poll(async () => { const b = (await rest("containers.list?env=local")).body; return Array.isArray(b) ? names(b) : []; }, { timeout: 15_000 })
    .toContain(NAME);

  const byBearer = await rest("containers.list?env=local");
  expect(byBearer.status).toBe(200);
  expect(byBearer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(byBearer.body.find((c: { name: string }) => c.name === NAME)).toMatchObject({ image: "busybox", state: "running" });

  const byKey = await rest("containers.list?env=local", { as: "key" });
  expect(byKey.status).toBe(200);
  expect(names(byKey.body)).toContain(NAME);

  // The whole input as JSON, and a query sent as POST with a JSON body, answer the same.
  expect(names((await rest(`containers.list?input=${encodeURIComponent(JSON.stringify({ env: "local" }))}`)).body)).toContain(NAME);
  expect(names((await rest("containers.list", { body: { env: "local" } })).body)).toContain(NAME);

  // No credential, or a wrong one: 401, saying which.
  const none = await rest("containers.list?env=local", { as: "none" });
  expect(none.status).toBe(401);
  expect(none.body.error).toMatchObject({ code: "UNAUTHORIZED", message: "Sign in first." });
  const wrong = await rest("containers.list?env=local", { token: `berth_${"A".repeat(43)}` });
  expect(wrong.status).toBe(401);
  expect(wrong.body.error.message).toMatch(/API token not accepted/);

  // The same token over tRPC itself.
  const me = await fetch(`${baseUrl()}/api/trpc/session.me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { result: { data: { json: { username: string } } } }).result.data.json.username).toBe("admin");

  // Its use shows on the Account page.
  await signIn(page, "/account");
  await expect(tokenRow(page)).not.toContainText("Never used");
});

test("errors are HTTP codes with a JSON body naming the field; the OpenAPI document lists the procedures", async ({ page }) => {
  const noEnv = await rest("containers.list");
  expect(noEnv.status).toBe(400);
  expect(noEnv.body.error).toMatchObject({ code: "BAD_REQUEST", field: "env" });
  const unknownEnv = await rest("containers.list?env=nowhere");
  expect(unknownEnv.status).toBe(404);
  expect(unknownEnv.body.error.field).toBe("env");
  const missing = await rest("containers.stop", { body: { env: "local", id: `${NAME}-missing` } });
  expect(missing.status).toBe(404);
  expect(missing.body.error.message).toContain(`${NAME}-missing`);

  const getMutation = await rest("containers.stop?env=local&id=x");
  expect(getMutation.status).toBe(405);
  expect(getMutation.headers.get("allow")).toBe("POST");
  expect((await rest("containers.nothing?env=local")).status).toBe(404);
  expect((await rest("containers.stop", { body: "env=local", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);
  expect((await rest("containers.stop", { body: "{not json" })).status).toBe(400);
  const nul = await rest("containers.stop", { body: { env: "local", id: "a\u0000b" } });
  expect(nul.status).toBe(400);
  expect(nul.body.error.field).toBe("id");

  const doc = await rest("openapi.json", { as: "none" });
  expect(doc.status).toBe(200);
  expect(doc.body.openapi).toBe("3.1.0");
  expect(doc.body.paths["/containers.list"].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "env", required: true })]));
  expect(doc.body.paths["/containers.stop"].post).toBeDefined();
  expect(Object.keys(doc.body.components.securitySchemes)).toEqual(["bearer", "apiKey"]);

  // With the browser's cookie, a cross-origin call is refused like any other; a token without a cookie is no forged request.
  await signIn(page, "/account");
  const forged = await page.request.post(`${baseUrl()}/api/v1/containers.list`, { data: { env: "local" }, headers: { origin: "https://evil.example" } });
  expect(forged.status()).toBe(403);
  expect((await rest("containers.list", { body: { env: "local" }, headers: { origin: "https://evil.example" } })).status).toBe(200);
});

test("a token cannot mint another token, nor open the live WebSocket", async ({ page }) => {
  const create = await rest("apiTokens.create", { body: { name: "more", expires: "never" } });
  expect(create.status).toBe(403);
  expect(create.body.error.message).toMatch(/API token cannot do this/);
  expect((await rest("apiTokens.list")).status).toBe(403);
  expect((await rest("ws.ticket", { body: {} })).status).toBe(403);
  // Nor through tRPC directly.
  const viaTrpc = await fetch(`${baseUrl()}/api/trpc/apiTokens.create`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ json: { name: "more", expires: "never" } }),
  });
  expect(viaTrpc.status).toBe(403);
  await signIn(page, "/account");
  await expect(page.getByRole("table", { name: "API tokens" }).locator("tbody tr")).toHaveCount(1);
});

test("a container stopped by token is in the audit history under the token's user; downloads take the token, a backup does not", async ({ page }) => {
  const stop = await rest("containers.stop", { body: { env: "local", id: NAME, timeout: 1 } });
  expect(stop.status).toBe(200);
  expect(inspect(NAME, "{{.State.Running}}")).toBe("false");

  const audit = await rest(`audit.list?limit=50&action=container.stop&target=${NAME}`);
  expect(audit.status).toBe(200);
  const entry = audit.body.items.find((a: { targetName: string | null }) => a.targetName === NAME);
  expect(entry).toMatchObject({ action: "container.stop", outcome: "ok", username: "admin" });

  // The downloads take the token too; a backup (every key Berth holds) does not.
  const auth = { authorization: `Bearer ${token}` };
  const logs = await fetch(`${baseUrl()}/api/e/local/containers/${NAME}/logs/download`, { headers: auth });
  expect(logs.status).toBe(200);
  const backup = await fetch(`${baseUrl()}/api/backup`, { headers: auth });
  expect(backup.status).toBe(403);
  expect(await backup.text()).toMatch(/API token cannot do this/);

  await signIn(page, "/audit");
  await expect(page.getByRole("row").filter({ hasText: "container.stop" }).filter({ hasText: NAME }).first()).toBeVisible();
});

test("after Revoke on the Account page, the token is refused", async ({ page }) => {
  await signIn(page, "/account");
  await tokenRow(page).getByRole("button", { name: "Revoke" }).click();
  await expect(tokenRow(page)).toHaveCount(0);
  for (const as of ["bearer", "key"] as const) {
    const r = await rest("containers.list?env=local", { as });
    expect(r.status, as).toBe(401);
    expect(r.body.error.message).toMatch(/revoked/);
  }
});
