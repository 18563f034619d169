/**
 * Users and teams administration through the UI: create a user, put them in a
 * team and make them its leader (who then manages its members), disable them
 * (they cannot sign in and their session ends), enable, reset their password,
 * the refusals an administrator meets on themselves, and deleting it all again.
 */
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { signIn, trpcMutate } from "./helpers";
import { ADMIN } from "./env";

const MEMBER = { username: "e2e-member", password: "e2e member password number 44" };
const OTHER = { username: "e2e-other", password: "e2e other user password 44" };
const TEAM = "e2e-team";

async function signInAs(page: Page, who: { username: string; password: string }, next = "/") {
  await page.goto(next);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function query<T>(request: APIRequestContext, path: string, input?: unknown): Promise<{ status: number; data?: T }> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await request.get(`/api/trpc/${path}${qs}`);
  const body = (await res.json()) as { result?: { data: { json: T } } };
  return { status: res.status(), data: body.result?.data.json };
}

const userRow = (page: Page, name: string) => page.locator(`tr[data-user="${name}"]`);

async function createUserInUi(page: Page, who: { username: string; password: string }) {
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username").fill(who.username);
  await form.getByLabel("Password").fill(who.password);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(userRow(page, who.username)).toBeVisible();
}

async function cleanUp(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, "/");
  const users = (await query<{ id: string; username: string }[]>(page.request, "users.list")).data ?? [];
  for (const u of users.filter((x) => x.username === MEMBER.username || x.username === OTHER.username)) await trpcMutate(page.request, "users.delete", { id: u.id });
  const teams = (await query<{ id: string; name: string }[]>(page.request, "teams.list")).data ?? [];
  for (const t of teams.filter((x) => x.name === TEAM)) await trpcMutate(page.request, "teams.delete", { teamId: t.id });
  await ctx.close();
}

test.describe.configure({ mode: "serial" });
test.afterAll(async ({ browser }) => cleanUp(browser));

test("administrators see Users and Teams; a weak password is refused naming the field; a user is created", async ({ page }) => {
  await signIn(page, "/");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(userRow(page, ADMIN.username)).toContainText("Administrator");

  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username").fill(MEMBER.username);
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("alert")).toContainText("password: must be at least 12 characters");
  await form.getByLabel("Password").fill(`${MEMBER.username}-secret`);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("alert")).toContainText("password: must not contain the username");

  await form.getByLabel("Password").fill(MEMBER.password);
  await form.getByRole("button", { name: "Create user" }).click();
  const row = userRow(page, MEMBER.username);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  await createUserInUi(page, OTHER);

  // The list never carries a password hash or a TOTP secret.
  const raw = await (await page.request.get("/api/trpc/users.list")).text();
  expect(raw).not.toMatch(/argon2|passwordHash|totpSecret/);
  // A taken username names the field.
  const dup = await trpcMutate(page.request, "users.create", { username: MEMBER.username, password: MEMBER.password });
  expect(dup.status()).toBe(409);
  expect(((await dup.json()) as { error: { json: { data: { field: string } } } }).error.json.data.field).toBe("username");
});

test("a team with the user as its leader; the leader adds and removes members, but cannot manage users", async ({ page, browser }) => {
  await signIn(page, "/teams");
  const create = page.getByRole("form", { name: "Create team" });
  await create.getByLabel("Team name").fill(TEAM);
  await create.getByRole("button", { name: "Create team" }).click();
  const team = page.getByRole("region", { name: `Team ${TEAM}` });
  await team.getByLabel("Username to add").fill(MEMBER.username);
  await team.getByRole("button", { name: "Add member" }).click();
  const member = team.locator(`tr[data-member="${MEMBER.username}"]`);
  await expect(member).toBeVisible();
  await member.getByLabel(`Leader: ${MEMBER.username}`).check();
  await expect(member.getByLabel(`Leader: ${MEMBER.username}`)).toBeChecked();

  const ctx = await browser.newContext();
  const leader = await ctx.newPage();
  await signInAs(leader, MEMBER, "/teams");
  await expect(leader).toHaveURL(/\/teams$/);
  await expect(leader.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  const led = leader.getByRole("region", { name: `Team ${TEAM}` });
  await led.getByLabel("Username to add").fill(OTHER.username);
  await led.getByRole("button", { name: "Add member" }).click();
  const other = led.locator(`tr[data-member="${OTHER.username}"]`);
  await expect(other).toBeVisible();
  // A leader does not choose leaders, rename or delete the team.
  await expect(other.getByLabel(`Leader: ${OTHER.username}`)).toBeDisabled();
  await expect(led.getByRole("button", { name: "Delete team" })).toHaveCount(0);
  await other.getByRole("button", { name: "Remove" }).click();
  await expect(other).toHaveCount(0);
  // Users are for administrators only.
  expect((await query(leader.request, "users.list")).status).toBe(403);
  await ctx.close();

  await page.goto("/users");
  await expect(userRow(page, MEMBER.username)).toContainText(`${TEAM} (leader)`);
});

test("disabling a user ends their session and stops them signing in; enabling lets them back", async ({ page, browser }) => {
  const ctx = await browser.newContext();
  const member = await ctx.newPage();
  await signInAs(member, MEMBER, "/");
  await expect(member).not.toHaveURL(/\/login/);
  expect((await query<{ username: string }>(member.request, "session.me")).data?.username).toBe(MEMBER.username);

  await signIn(page, "/users");
  const row = userRow(page, MEMBER.username);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("Disabled");
  // Their session is over at once.
  expect((await query<unknown>(member.request, "session.me")).data ?? null).toBeNull();

  const again = await browser.newContext();
  const retry = await again.newPage();
  await signInAs(retry, MEMBER, "/");
  await expect(retry.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");
  await expect(retry).toHaveURL(/\/login/);

  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row).toContainText("Active");
  await signInAs(retry, MEMBER, "/");
  await expect(retry).not.toHaveURL(/\/login/);
  await again.close();
  await ctx.close();
});

test("an administrator cannot disable, delete or demote themselves; reset password marks the user", async ({ page }) => {
  await signIn(page, "/users");
  const self = userRow(page, ADMIN.username);
  await self.getByRole("button", { name: "Disable" }).click();
  await expect(self.getByRole("alert")).toContainText("You cannot disable yourself: ask another administrator.");
  await self.getByRole("button", { name: "Remove administrator" }).click();
  await expect(self.getByRole("alert")).toContainText("You cannot remove the Administrator role from yourself");
  await expect(self.getByRole("button", { name: "Reset password" })).toBeDisabled();
  await expect(self).toContainText("Active");

  const row = userRow(page, MEMBER.username);
  await row.getByRole("button", { name: "Reset password" }).click();
  const dialog = page.getByRole("dialog", { name: `Reset the password of ${MEMBER.username}` });
  await dialog.getByLabel("New password").fill("a new password for the member 44");
  await dialog.getByRole("button", { name: "Set password" }).click();
  await expect(row).toContainText("Must change password");
});

test("deleting a team and users, confirmed", async ({ page }) => {
  await signIn(page, "/teams");
  const team = page.getByRole("region", { name: `Team ${TEAM}` });
  await team.getByRole("button", { name: "Delete team" }).click();
  await page.getByRole("dialog", { name: `Delete team ${TEAM}` }).getByRole("button", { name: "Delete" }).click();
  await expect(team).toHaveCount(0);

  await page.goto("/users");
  for (const who of [MEMBER, OTHER]) {
    const row = userRow(page, who.username);
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: `Delete user ${who.username}` }).getByRole("button", { name: "Delete user" }).click();
    await expect(row).toHaveCount(0);
  }

  // Each change is on record, naming the user or team it was about.
  type Entries = { items: { action: string; targetName: string | null; outcome: string }[] };
  const seen = new Set<string>();
  for (const filter of [{ target: "e2e-" }, { action: "user.manage" }]) {
    const audit = await query<Entries>(page.request, "audit.list", { limit: 200, ...filter });
    for (const e of audit.data?.items ?? []) seen.add(`${e.action} ${e.targetName} ${e.outcome}`);
  }
  for (const line of [`user.manage ${MEMBER.username} ok`, `team.manage ${TEAM} ok`, `team.members ${TEAM}: add ${OTHER.username} ok`, `user.manage ${ADMIN.username} error`]) {
    expect(seen, line).toContain(line);
  }
});
