/**
 * Roles and ownership through the browser and the API: an Operator restarts a
 * container but cannot open Settings; a Read-only user sees the list without
 * action buttons and is refused by the API; a team member sees a Restricted
 * container of their team and not another team's; disabling a user closes
 * their open log stream within 2 s; every refusal is in the audit history.
 */
import { expect, test, type Browser, type Page, type WebSocket } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { baseUrl } from "./env";
import { docker, dockerQuiet, row, signIn } from "./helpers";

const PASSWORD = "rbac-Long-passphrase-7731";
const U = { op: "rbac-operator", ro: "rbac-readonly", a: "rbac-member-a", b: "rbac-member-b" } as const;
const C = { a: "rbac-team-a", b: "rbac-team-b", pub: "rbac-public" } as const;

let admin: BerthApi;
const ids: Record<string, string> = {};
const teams: Record<string, string> = {};
const containers: Record<string, string> = {};

async function ok<T>(reply: Promise<{ status: number; text: string; data?: unknown }>): Promise<T> {
  const r = await reply;
  if (r.status !== 200) throw new Error(`${r.status}: ${r.text.slice(0, 400)}`);
  return r.data as T;
}

async function userPage(browser: Browser, username: string, next: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, next, { username, password: PASSWORD });
  return page;
}

test.describe.serial("roles and ownership", () => {
  test.beforeAll(async () => {
    admin = await new BerthApi(baseUrl()).signIn();
    for (const c of Object.values(C)) {
      dockerQuiet("rm", "-f", c);
      containers[c] = docker("run", "-d", "--name", c, "busybox", "sh", "-c", "while true; do echo tick; sleep 0.2; done");
    }
    for (const [key, username] of Object.entries(U)) {
      const u = await ok<{ id: string }>(admin.mutate("users.create", { username, password: PASSWORD, role: "user" }));
      ids[key] = u.id;
    }
    for (const t of ["rbac-a", "rbac-b"]) teams[t] = (await ok<{ id: string }>(admin.mutate("teams.create", { name: t }))).id;
    await ok(admin.mutate("teams.addMember", { teamId: teams["rbac-a"], username: U.a }));
    await ok(admin.mutate("teams.addMember", { teamId: teams["rbac-b"], username: U.b }));
    await ok(admin.mutate("users.grant", { env: "local", userId: ids.op, role: "operator" }));
    await ok(admin.mutate("users.grant", { env: "local", userId: ids.ro, role: "readonly" }));
    // The two members are Standard users through their teams' grants.
    await ok(admin.mutate("users.grant", { env: "local", teamId: teams["rbac-a"], role: "standard" }));
    await ok(admin.mutate("users.grant", { env: "local", teamId: teams["rbac-b"], role: "standard" }));
    // Containers made outside Berth are for administrators until someone gives them out.
    await ok(admin.mutate("access.set", { env: "local", type: "container", id: containers[C.a], access: "restricted", teamIds: [teams["rbac-a"]] }));
    await ok(admin.mutate("access.set", { env: "local", type: "container", id: containers[C.b], access: "restricted", teamIds: [teams["rbac-b"]] }));
    await ok(admin.mutate("access.set", { env: "local", type: "container", id: containers[C.pub], access: "public" }));
  });

  test.afterAll(async () => {
    for (const c of Object.values(C)) dockerQuiet("rm", "-f", c);
    for (const id of Object.values(ids)) await admin.mutate("users.delete", { id });
    for (const id of Object.values(teams)) await admin.mutate("teams.delete", { teamId: id });
  });

  test("an Operator restarts a container but cannot open Settings", async ({ browser }) => {
    const page = await userPage(browser, U.op, "/e/local/containers");
    // An Operator sees the whole environment, whatever the ownership.
    for (const c of Object.values(C)) await expect(row(page, c)).toBeVisible();
    await expect(page.getByRole("link", { name: "Add container" })).toHaveCount(0);
    const before = docker("inspect", "-f", "{{.State.StartedAt}}", C.b);
    await row(page, C.b).getByRole("button", { name: "Restart" }).click();
    await expect.poll(() => docker("inspect", "-f", "{{.State.StartedAt}}", C.b), { timeout: 20_000 }).not.toBe(before);
    // No Remove for an Operator, and the API agrees.
    await expect(row(page, C.b).getByRole("button", { name: "Remove" })).toHaveCount(0);
    const api = await new BerthApi(baseUrl()).signIn(undefined, { username: U.op, password: PASSWORD });
    expect((await api.mutate("containers.remove", { env: "local", id: C.b, force: true })).status).toBe(403);
    // Settings are for administrators: no link, and the page itself refuses.
    await expect(page.getByRole("link", { name: "Settings", exact: true })).toHaveCount(0);
    expect((await api.mutate("account.setTwoFactorPolicy", { require2fa: "off" })).status).toBe(403);
    await page.goto("/settings");
    await expect(page.getByText(/Administrators only|may not|not allowed/i).first()).toBeVisible();
    await page.context().close();
  });

  test("a Read-only user sees the list with no action buttons and is refused by the API", async ({ browser }) => {
    const page = await userPage(browser, U.ro, "/e/local/containers");
    await expect(row(page, C.pub)).toBeVisible();
    // Given nothing else: the restricted ones are not theirs to see.
    await expect(row(page, C.a)).toHaveCount(0);
    for (const name of ["Start", "Stop", "Restart", "Remove"]) await expect(row(page, C.pub).getByRole("button", { name })).toHaveCount(0);
    await page.goto(`/e/local/containers/${C.pub}`);
    await expect(page.getByRole("heading", { name: C.pub })).toBeVisible();
    await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Console" })).toHaveCount(0);

    const api = await new BerthApi(baseUrl()).signIn(undefined, { username: U.ro, password: PASSWORD });
    const stop = await api.mutate("containers.stop", { env: "local", id: C.pub });
    expect(stop.status).toBe(403);
    expect(stop.error?.message).toMatch(/Read-only user/);
    expect((await api.query("containers.inspect", { env: "local", id: C.a })).status).toBe(403);
    const listed = await ok<{ name: string }[]>(api.query("containers.list", { env: "local" }));
    expect(listed.map((c) => c.name)).toContain(C.pub);
    expect(listed.map((c) => c.name)).not.toContain(C.a);
    // No log download for Read-only.
    expect((await api.get(`/api/e/local/containers/${C.pub}/logs/download`)).status).toBe(403);
    await page.context().close();
  });

  test("a team member sees a Restricted container of their team and not another team's", async ({ browser }) => {
    const a = await userPage(browser, U.a, "/e/local/containers");
    await expect(row(a, C.a)).toBeVisible();
    await expect(row(a, C.pub)).toBeVisible();
    await expect(row(a, C.b)).toHaveCount(0);
    // A Standard user operates what they may see…
    await expect(row(a, C.a).getByRole("button", { name: "Restart" })).toBeVisible();
    // …and the other team's container is refused by name, by the API and by the stream.
    const api = await new BerthApi(baseUrl()).signIn(undefined, { username: U.a, password: PASSWORD });
    expect((await api.mutate("containers.stop", { env: "local", id: C.b })).status).toBe(403);
    // Creating one with the other team's container's name is Docker's conflict, and does not hand that container over.
    const clash = await api.mutate("containerCreate.create", { env: "local", spec: { name: C.b, image: "busybox", cmd: ["sleep", "60"] } });
    expect(clash.status).toBe(409);
    expect(clash.error?.message).toContain(`name "${C.b}" is already in use`);
    expect((await api.query("containers.inspect", { env: "local", id: C.b })).status).toBe(403);
    await a.goto(`/e/local/containers/${C.b}/logs`);
    await expect(a.getByText(/Access denied|not yours/i).first()).toBeVisible();
    await a.context().close();

    const b = await userPage(browser, U.b, "/e/local/containers");
    await expect(row(b, C.b)).toBeVisible();
    await expect(row(b, C.a)).toHaveCount(0);
    await b.context().close();
  });

  test("disabling a user closes their open log stream within 2 s", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on("websocket", (ws) => {
      if (ws.url().includes("/api/ws")) sockets.push(ws);
    });
    await signIn(page, `/e/local/containers/${C.a}/logs`, { username: U.a, password: PASSWORD });
    await expect(page.getByText("tick").first()).toBeVisible();
    const open = sockets.filter((ws) => !ws.isClosed());
    expect(open.length).toBeGreaterThan(0);
    const closed = Promise.all(open.map((ws) => new Promise<number>((resolve) => ws.on("close", () => resolve(Date.now())))));
    const t0 = Date.now();
    await ok(admin.mutate("users.setDisabled", { id: ids.a, disabled: true }));
    const at = await Promise.race([closed.then((t) => Math.max(...t)), new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 5_000))]);
    expect(at - t0).toBeLessThan(2_000);
    // And the next request is refused: the session is gone.
    await page.goto("/e/local/containers");
    await expect(page).toHaveURL(/\/login/);
    await ok(admin.mutate("users.setDisabled", { id: ids.a, disabled: false }));
    await context.close();
  });

  test("the refusals are in the audit history", async () => {
    const rows = await ok<{ items?: { action: string; outcome: string; username: string | null }[] } | { action: string; outcome: string; username: string | null }[]>(
      admin.query("audit.list", { limit: 200, outcome: "denied" }),
    );
    const list = Array.isArray(rows) ? rows : (rows.items ?? []);
    const denied = list.filter((r) => r.outcome === "denied");
    expect(denied.some((r) => r.username === U.ro && r.action === "container.stop")).toBe(true);
    expect(denied.some((r) => r.username === U.op && r.action === "container.remove")).toBe(true);
    expect(denied.some((r) => r.username === U.a && r.action === "container.stop")).toBe(true);
  });
});
