/**
 * Every page address names its environment: deep links to a container's tab
 * load cold, an unknown environment is a 404 page, and the addresses from
 * before environments redirect to the default environment.
 */
import { expect, test, type Page } from "@playwright/test";
import { docker, dockerQuiet, inspect, signIn } from "./helpers";

const NAME = "e2e-env-routes";
let id = "";

test.beforeAll(() => {
  dockerQuiet("rm", "-f", NAME);
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "echo booted; sleep 600");
  id = inspect(NAME, "{{.Id}}");
});
test.afterAll(() => dockerQuiet("rm", "-f", NAME));

const tabs = (page: Page) => page.getByRole("navigation", { name: "Container views" });

test("a deep link to a container's logs, opened in a fresh browser, shows its live logs", async ({ page, browser }) => {
  await signIn(page, "/");
  const signedIn = await page.context().storageState();

  const fresh = await browser.newContext({ storageState: signedIn, baseURL: test.info().project.use.baseURL });
  try {
    const tab = await fresh.newPage();
    const res = await tab.goto(`/e/local/containers/${id}/logs`);
    expect(res?.status()).toBe(200);
    await expect(tab).toHaveURL(new RegExp(`/e/local/containers/${id}/logs$`));
    await expect(tab.getByRole("heading", { name: NAME })).toBeVisible();
    await expect(tabs(tab).getByRole("link", { name: "Logs" })).toHaveAttribute("aria-current", "page");
    const log = tab.getByRole("log", { name: "Log lines" });
    await expect(log).toContainText("booted");
    const word = `deep-link-${Date.now()}`;
    docker("exec", NAME, "sh", "-c", `echo ${word} > /proc/1/fd/1`);
    await expect(log).toContainText(word, { timeout: 5_000 });
  } finally {
    await fresh.close();
  }
});

test("an unknown environment is a 404 page that names it and leads to the default one", async ({ page }) => {
  await signIn(page, "/");
  for (const path of ["/e/nope/containers", "/e/nope", `/e/nope/containers/${id}/logs`]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: 'Environment "nope" not found' })).toBeVisible();
  }
  await page.getByRole("link", { name: "Go to the local environment" }).click();
  await expect(page).toHaveURL(/\/e\/local$/);
  await expect(page.getByRole("heading", { name: "Local environment" })).toBeVisible();
});

test("the old addresses redirect to the default environment, query string kept", async ({ page }) => {
  await signIn(page, "/");
  const redirects: [string, string][] = [
    ["/", "/e/local"],
    ["/containers", "/e/local/containers"],
    ["/containers/new?from=abc", "/e/local/containers/new?from=abc"],
    [`/containers/${id}`, `/e/local/containers/${id}`],
    [`/containers/${NAME}/logs`, `/e/local/containers/${NAME}/logs`],
    [`/logs?id=${NAME}&x=1`, `/e/local/logs?id=${NAME}&x=1`],
  ];
  for (const [from, to] of redirects) {
    const res = await page.request.get(from, { maxRedirects: 0 });
    expect(res.status(), from).toBe(307);
    expect(res.headers().location, from).toBe(to);
  }
  await page.goto("/containers");
  await expect(page).toHaveURL(/\/e\/local\/containers$/);
  await expect(page.getByRole("table", { name: "Containers" })).toBeVisible();

  // The top navigation stays in the environment; the audit is not tied to one.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Home" })).toHaveAttribute("href", "/e/local");
  await expect(nav.getByRole("link", { name: "Containers" })).toHaveAttribute("href", "/e/local/containers");
  await expect(nav.getByRole("link", { name: "Containers" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Logs" })).toHaveAttribute("href", "/e/local/logs");
  await expect(nav.getByRole("link", { name: "Audit" })).toHaveAttribute("href", "/audit");
});

test("each of a container's tabs has its own address, and a reload stays on it", async ({ page }) => {
  const base = `/e/local/containers/${id}`;
  const views: [string, string, (p: Page) => Promise<void>][] = [
    ["Overview", "", (p) => expect(p.getByTestId("run-command")).toContainText(`--name ${NAME}`)],
    ["Inspect", "/inspect", (p) => expect(p.getByTestId("inspect-tree")).toContainText("HostConfig")],
    ["Processes", "/processes", (p) => expect(p.getByRole("table", { name: "Processes" })).toContainText("sleep 600")],
    ["Changes", "/changes", (p) => expect(p.getByRole("region", { name: "Changes" })).toContainText("No changes.")],
    ["Logs", "/logs", (p) => expect(p.getByRole("log", { name: "Log lines" })).toContainText("booted")],
    ["Stats", "/stats", (p) => expect(p.getByRole("region", { name: "Stats" }).getByRole("heading", { name: "CPU %" })).toBeVisible()],
    ["Console", "/console", (p) => expect(p.getByRole("form", { name: "Console" }).getByRole("button", { name: "Connect", exact: true })).toBeVisible()],
  ];
  await signIn(page, base);
  await expect(page).toHaveURL(new RegExp(`${base}$`));
  for (const [label, path, shows] of views) {
    await tabs(page).getByRole("link", { name: label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${base}${path}$`));
    await expect(tabs(page).getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(tabs(page).locator('[aria-current="page"]')).toHaveCount(1);
    await shows(page);

    await page.reload();
    await expect(page).toHaveURL(new RegExp(`${base}${path}$`));
    await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
    await expect(tabs(page).getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
    await shows(page);
  }
});
