/**
 * The containers list as a table: sorted by any column (checked against the
 * docker CLI's own order), virtualised (a few hundred containers put only a
 * screenful of rows in the DOM, and scrolling reaches the last), and the
 * columns a user hides stay hidden after a reload.
 */
import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { docker, dockerQuiet, row, signIn } from "./helpers";

const SORT = "e2e-list-sort-";
const MANY = "e2e-list-many-";
const COUNT = 300;
const LIST = "/e/local/containers";

function removeByPrefix(prefix: string) {
  const ids = docker("ps", "-aq", "--filter", `name=^${prefix}`).split("\n").filter(Boolean);
  for (let i = 0; i < ids.length; i += 100) dockerQuiet("rm", "-f", ...ids.slice(i, i + 100));
}

test.afterAll(() => {
  removeByPrefix(SORT);
  removeByPrefix(MANY);
});

/** The names of the rows in the DOM, top to bottom. */
const shownNames = (page: Page) =>
  page.locator("table[aria-label=Containers] tbody tr[data-container]").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.container ?? ""));

async function sortBy(page: Page, column: string, direction: "ascending" | "descending") {
  const header = page.getByRole("columnheader", { name: column, exact: true });
  for (let i = 0; i < 2 && (await header.getAttribute("aria-sort")) !== direction; i++) await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", direction);
  // Only one column sorts at a time.
  await expect(page.locator("th[aria-sort=ascending], th[aria-sort=descending]")).toHaveCount(1);
}

test("sorts by Created and by Name, both ways, in the order the docker CLI gives", async ({ page }) => {
  // Names in another order than creation; a second apart, as the list's Created has seconds.
  for (const n of ["b", "c", "a"]) {
    docker("create", "--name", `${SORT}${n}`, "busybox");
    execFileSync("sleep", ["1.1"]);
  }
  const newestFirst = docker("ps", "-a", "--filter", `name=^${SORT}`, "--format", "{{.Names}}").split("\n");
  expect(newestFirst).toHaveLength(3);
  expect(newestFirst).toEqual([`${SORT}a`, `${SORT}c`, `${SORT}b`]);
  const byName = [...newestFirst].sort((x, y) => x.localeCompare(y));

  await signIn(page, LIST);
  await page.getByLabel("Filter by name or image").fill(SORT);
  // By name, ascending, unless this user chose another sort before.
  await sortBy(page, "Name", "ascending");
  await expect.poll(() => shownNames(page)).toEqual(byName);
  await sortBy(page, "Name", "descending");
  await expect.poll(() => shownNames(page)).toEqual([...byName].reverse());

  await sortBy(page, "Created", "descending");
  await expect.poll(() => shownNames(page)).toEqual(newestFirst);
  await sortBy(page, "Created", "ascending");
  await expect.poll(() => shownNames(page)).toEqual([...newestFirst].reverse());
  await expect(page.getByRole("columnheader", { name: "Name", exact: true })).toHaveAttribute("aria-sort", "none");

  // Sorting by another column also keeps every row (here: Image, all the same).
  await sortBy(page, "Image", "ascending");
  await expect.poll(() => shownNames(page)).toEqual(byName);
  await sortBy(page, "Name", "ascending");
});

test(`${COUNT} containers: the DOM holds well under 200 rows, scrolling reaches the last, restart counts are read`, async ({ page }) => {
  test.setTimeout(180_000);
  const names = Array.from({ length: COUNT }, (_, i) => `${MANY}${String(i + 1).padStart(3, "0")}`);
  // Eight at a time: the CLI takes ~0.1 s per create.
  execFileSync("bash", ["-c", `printf '%s\\n' "$@" | xargs -P 8 -I{} docker create --name {} busybox >/dev/null`, "create", ...names], { stdio: "inherit" });
  expect(docker("ps", "-aq", "--filter", `name=^${MANY}`).split("\n")).toHaveLength(COUNT);

  await signIn(page, LIST);
  await page.getByLabel("Filter by name or image").fill(MANY);
  await sortBy(page, "Name", "ascending");
  const first = row(page, names[0]);
  const last = row(page, names[COUNT - 1]);
  await expect(first).toBeVisible();
  // Restart counts come from inspect, for the rows on screen (all ids at once were too many for one request).
  await expect(first.getByTestId("restarts")).toHaveText("0");
  await expect(last).toHaveCount(0);
  const rendered = await page.locator("table[aria-label=Containers] tbody tr[data-container]").count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(200);
  // The page is as tall as all rows: the scrollbar says how many there are.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(COUNT * 30);

  // Scroll down step by step, as a reader would, to the end.
  await expect(async () => {
    await page.mouse.wheel(0, 3000);
    await expect(last).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 30_000 });
  await expect(last.getByTestId("restarts")).toHaveText("0");
  await expect(first).toHaveCount(0);
  expect(await page.locator("table[aria-label=Containers] tbody tr[data-container]").count()).toBeLessThan(200);
  // Every row on the way was a real one, in order: the last rows in the DOM are the last names.
  const tail = await shownNames(page);
  expect(tail.slice(-3)).toEqual(names.slice(-3));
});

test("a hidden column stays hidden after a reload, kept under the signed-in user", async ({ page }) => {
  await signIn(page, LIST);
  await expect(page.getByRole("table", { name: "Containers" })).toBeVisible();
  await page.locator("summary", { hasText: "Columns" }).click();
  await page.getByLabel("Created", { exact: true }).uncheck();
  await expect(page.getByRole("columnheader", { name: "Created" })).toBeHidden();
  await page.reload();
  await expect(page.getByRole("table", { name: "Containers" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Name", exact: true })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Created" })).toBeHidden();

  // Kept under this user's id, not for every user of the browser.
  const res = await page.request.get("/api/trpc/session.me");
  const me = ((await res.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
  const saved = await page.evaluate((key) => localStorage.getItem(key), `berth.containers.view.${me.id}`);
  expect(JSON.parse(saved ?? "{}")).toMatchObject({ hidden: ["created"] });

  await page.locator("summary", { hasText: "Columns" }).click();
  await page.getByLabel("Created", { exact: true }).check();
  await expect(page.getByRole("columnheader", { name: "Created" })).toBeVisible();
});
