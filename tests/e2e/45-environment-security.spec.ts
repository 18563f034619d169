/**
 * Environment security settings, in the create call path: an administrator
 * makes a Standard user through the UI; that user's pasted `docker run -v /:/host`
 * and `--privileged` are refused with the setting named, in the form and by the
 * API; once the administrator turns on "Allow bind mounts" the bind mount is
 * allowed (and refused again when it is turned off).
 */
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { docker, dockerQuiet, signIn, trpcMutate } from "./helpers";

const USER = { username: "e2e-standard", password: "e2e standard user password 45" };
const BIND = "e2e-sec-bind";
const PRIV = "e2e-sec-priv";
const ALLOWED = "e2e-sec-allowed";

interface TrpcError {
  error: { json: { message: string; data: { code: string; field?: string } } };
}

async function signInAs(page: Page, who: { username: string; password: string }, next: string) {
  await page.goto(next);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function query<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await request.get(`/api/trpc/${path}${qs}`);
  expect(res.status(), path).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}


const createSpec = (name: string, extra: Record<string, unknown>) => ({
  env: "local",
  spec: { image: "busybox", name, command: ["sleep", "600"], detach: true, ...extra },
});

async function asAdmin<T>(browser: Browser, fn: (page: Page) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await signIn(page, "/");
    return await fn(page);
  } finally {
    await ctx.close();
  }
}

test.describe.configure({ mode: "serial" });

test.afterAll(async ({ browser }) => {
  dockerQuiet("rm", "-f", BIND, PRIV, ALLOWED);
  await asAdmin(browser, async (page) => {
    await trpcMutate(page.request, "environmentSecurity.set", { env: "local", settings: { allowBindMounts: false, allowPrivileged: false } });
    const users = await query<{ id: string; username: string }[]>(page.request, "users.list");
    for (const u of users.filter((x) => x.username === USER.username)) await trpcMutate(page.request, "users.delete", { id: u.id });
  });
});

test("an administrator creates a user and grants them the Standard user role on local, through the UI", async ({ page }) => {
  await signIn(page, "/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username").fill(USER.username);
  await form.getByLabel("Password").fill(USER.password);
  await expect(form.getByLabel("Administrator")).not.toBeChecked();
  await form.getByRole("button", { name: "Create user" }).click();
  const row = page.locator(`tr[data-user="${USER.username}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").nth(1)).toHaveText("User");
  await expect(row.getByRole("cell").nth(3)).toHaveText("Active");

  await page.getByRole("link", { name: "Access" }).click();
  await expect(page).toHaveURL(/\/users\/access$/);
  const grant = page.getByRole("form", { name: "Grant a role on local" });
  await grant.getByLabel("User or team").selectOption({ label: USER.username });
  await grant.getByLabel("Role").selectOption({ label: "Standard user" });
  await grant.getByRole("button", { name: "Grant" }).click();
  const granted = page.getByRole("table", { name: "Roles on local" }).locator(`tr[data-grant="user:${USER.username}"]`);
  await expect(granted).toContainText("Standard user");
});

test("the Standard user's pasted -v /:/host and --privileged are refused naming the setting, in the form and by the API", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signInAs(page, USER, "/e/local/containers/new");
  // Not an administrator: no Users or Teams in the navigation.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);

  const attempts = [
    [`docker run -d --name ${BIND} -v /:/host busybox sleep 600`, 'volumes[0].source: Bind mounts (host path "/") are not allowed for non-administrators on this environment (setting: Allow bind mounts)'],
    [`docker run -d --name ${PRIV} --privileged busybox sleep 600`, "privileged: Privileged mode (--privileged) is not allowed for non-administrators on this environment (setting: Allow privileged mode)"],
  ] as const;
  for (const [command, message] of attempts) {
    await page.getByLabel("docker run command").fill(command);
    await page.getByRole("button", { name: "Fill form" }).click();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByTestId("create-error")).toContainText(message);
  }

  // The API, with the same user's cookie: the same refusal, naming the field.
  const apiCases: [Record<string, unknown>, string, string][] = [
    [createSpec(BIND, { volumes: [{ source: "/", target: "/host" }] }), "volumes[0].source", "(setting: Allow bind mounts)"],
    [createSpec(BIND, { mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" }] }), "mounts[0].type", "(setting: Allow bind mounts)"],
    [createSpec(BIND, { mounts: [{ type: "volume", source: "e2e-sec-v", target: "/v", volumeOpts: { type: "none", o: "bind", device: "/" } }] }), "mounts[0].volumeOpts", "(setting: Allow bind mounts)"],
    [createSpec(PRIV, { privileged: true }), "privileged", "(setting: Allow privileged mode)"],
    [createSpec(PRIV, { pid: "host" }), "pid", "(setting: Allow host namespaces)"],
    [createSpec(PRIV, { capAdd: ["SYS_ADMIN"] }), "capAdd", "(setting: Allow added capabilities)"],
  ];
  for (const [input, field, setting] of apiCases) {
    const res = await trpcMutate(page.request, "containerCreate.create", input);
    expect(res.status(), field).toBe(403);
    const err = ((await res.json()) as TrpcError).error.json;
    expect(err.data.field, field).toBe(field);
    expect(err.message).toContain(`${field}: `);
    expect(err.message).toContain(setting);
  }
  // Nothing was made.
  expect(docker("ps", "-aq", "--filter", `name=^(${BIND}|${PRIV})$`)).toBe("");
  await ctx.close();
});

test("after the administrator turns on Allow bind mounts, the bind mount is allowed; turned off, refused again", async ({ browser }) => {
  const user = await browser.newContext();
  const page = await user.newPage();
  await signInAs(page, USER, "/e/local/containers/new");
  // The settings page: read-only for this user.
  await page.goto("/e/local/settings");
  await expect(page.getByLabel("Allow bind mounts for non-administrators")).toBeDisabled();
  await expect(page.getByLabel("Allow bind mounts for non-administrators")).not.toBeChecked();
  // And the API refuses the change: only Administrators and Environment administrators hold it.
  const denied = await trpcMutate(page.request, "environmentSecurity.set", { env: "local", settings: { allowBindMounts: true } });
  expect(denied.status()).toBe(403);

  await asAdmin(browser, async (admin) => {
    await admin.goto("/e/local/settings");
    const box = admin.getByLabel("Allow bind mounts for non-administrators");
    await expect(box).toBeEnabled();
    await box.check();
    await expect(box).toBeChecked();
    await admin.reload();
    await expect(admin.getByLabel("Allow bind mounts for non-administrators")).toBeChecked();
    await expect(admin.getByLabel("Allow privileged mode for non-administrators")).not.toBeChecked();
  });

  // Through the form: the pasted command now creates the container.
  await page.goto("/e/local/containers/new");
  await page.getByLabel("docker run command").fill(`docker run -d --name ${ALLOWED} -v /tmp:/host:ro busybox sleep 600`);
  await page.getByRole("button", { name: "Fill form" }).click();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page).toHaveURL(/\/e\/local\/containers\/[0-9a-f]{12,64}/, { timeout: 30_000 });
  expect(docker("inspect", "-f", "{{json .HostConfig.Binds}}", ALLOWED)).toBe('["/tmp:/host:ro"]');
  // Privileged mode is still refused: one switch opens one thing.
  const priv = await trpcMutate(page.request, "containerCreate.create", createSpec(PRIV, { privileged: true, volumes: [{ source: "/tmp", target: "/host" }] }));
  expect(priv.status()).toBe(403);
  expect(((await priv.json()) as TrpcError).error.json.data.field).toBe("privileged");
  dockerQuiet("rm", "-f", ALLOWED);

  await asAdmin(browser, async (admin) => {
    await admin.goto("/e/local/settings");
    const box = admin.getByLabel("Allow bind mounts for non-administrators");
    await box.uncheck();
    await expect(box).not.toBeChecked();
  });
  const again = await trpcMutate(page.request, "containerCreate.create", createSpec(BIND, { volumes: [{ source: "/", target: "/host" }] }));
  expect(again.status()).toBe(403);
  expect(((await again.json()) as TrpcError).error.json.message).toContain("(setting: Allow bind mounts)");
  await user.close();
});

test("an administrator is not bound by the settings", async ({ page }) => {
  await signIn(page, "/");
  const res = await trpcMutate(page.request, "containerCreate.create", {
    ...createSpec(PRIV, { volumes: [{ source: "/", target: "/host", mode: "ro" }], privileged: true }),
    createOnly: true,
  });
  expect(res.status()).toBe(200);
  expect(docker("inspect", "-f", "{{.HostConfig.Privileged}} {{json .HostConfig.Binds}}", PRIV)).toBe('true ["/:/host:ro"]');
  dockerQuiet("rm", "-f", PRIV);
});
