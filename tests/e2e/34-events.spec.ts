/**
 * Events: the page shows the engine's events live (a `docker run --rm` gives
 * its create, start, die and destroy rows), the type filter hides the rest,
 * "Since" brings back the past; the `events` channel spoken directly on
 * /api/ws refuses bad params naming the field; and a container list open in
 * two tabs follows the engine in both.
 */
import { expect, type Page, test } from "@playwright/test";
import { docker, dockerQuiet, row, signIn } from "./helpers";
import { hubPeer } from "./hub-socket";

const RUN = "e2e-events-run";
const VOL = "e2e-events-vol";
const TWO = "e2e-events-two-tabs";

test.afterAll(() => {
  dockerQuiet("rm", "-f", RUN, TWO);
  dockerQuiet("volume", "rm", VOL);
});

const eventsTable = (page: Page) => page.getByRole("table", { name: "Events" });
/** The row of `action` on the object shown as `object`. */
const eventRow = (page: Page, object: string, action: string) =>
  eventsTable(page)
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: object, exact: true }) })
    .filter({ has: page.getByRole("cell", { name: action, exact: true }) });

test("Events shows a docker run --rm live, the type filter hides the rest, and Since brings it back", async ({ page }) => {
  await signIn(page, "/e/local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await expect(page).toHaveURL(/\/e\/local\/events$/);
  await expect(page.getByRole("status", { name: "Stream state" })).toHaveText(/Live/);

  docker("run", "--rm", "--name", RUN, "busybox", "true");
  for (const action of ["create", "start", "die", "destroy"]) {
    await expect(eventRow(page, RUN, action)).toHaveCount(1);
  }
  // Newest first; the object links to the container's page.
  const first = eventsTable(page).getByRole("row").nth(1);
  await expect(first.getByRole("cell", { name: "destroy", exact: true })).toBeVisible();
  await expect(eventRow(page, RUN, "create").getByRole("link", { name: RUN })).toHaveAttribute("href", /\/e\/local\/containers\/[0-9a-f]{64}$/);

  // Type: volume. The container rows go (a new subscription); a volume's events come.
  await page.getByLabel("Type").selectOption("volume");
  await expect(eventRow(page, RUN, "create")).toHaveCount(0);
  await expect(page.getByRole("status", { name: "Stream state" })).toHaveText(/Live/);
  docker("volume", "create", VOL);
  await expect(eventRow(page, VOL, "create")).toHaveCount(1);
  await expect(eventsTable(page).locator("tr[data-event-type]:not([data-event-type=volume])")).toHaveCount(0);

  // Back to every type, with the last 15 minutes: the run's events come back as history.
  await page.getByLabel("Type").selectOption("");
  await page.getByLabel("Since").selectOption("15m");
  for (const action of ["create", "start", "die", "destroy"]) {
    await expect(eventRow(page, RUN, action)).toHaveCount(1);
  }
  await expect(eventRow(page, VOL, "create")).toHaveCount(1);

  // Filter by action and object: only that remains.
  await page.getByLabel("Action").fill("die");
  await page.getByLabel("Object").fill(RUN);
  await expect(eventsTable(page).locator("tr[data-event-type]")).toHaveCount(1);
  await expect(eventRow(page, RUN, "die")).toHaveCount(1);

  // Paused, the view stands still; resumed, it catches up.
  await page.getByLabel("Action").fill("");
  await page.getByLabel("Object").fill(VOL);
  await expect(eventsTable(page).locator("tr[data-event-type]")).toHaveCount(1);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("status", { name: "Stream state" })).toHaveText(/Paused/);
  docker("volume", "rm", VOL);
  await page.waitForTimeout(500);
  await expect(eventRow(page, VOL, "destroy")).toHaveCount(0);
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(eventRow(page, VOL, "destroy")).toHaveCount(1);
});

test("a container list open in two tabs follows the engine in both", async ({ page, context }) => {
  await signIn(page, "/e/local/containers");
  const other = await context.newPage();
  await other.goto("/e/local/containers");
  await expect(other.getByRole("table", { name: "Containers" })).toBeVisible();
  docker("run", "-d", "--name", TWO, "busybox", "sleep", "300");
  for (const p of [page, other]) await expect(row(p, TWO)).toContainText("running");
  docker("stop", "-t", "0", TWO);
  for (const p of [page, other]) await expect(row(p, TWO)).toContainText("exited");
  docker("rm", TWO);
  for (const p of [page, other]) await expect(row(p, TWO)).toHaveCount(0);
});

// ---------------------------------------------------------------- the channel, without a browser

const peer = () => hubPeer();

test("the events channel on /api/ws: live events with filters, refusals naming params.<field>", async () => {
  const p = await peer();
  const of = (id: string) => p.frames.filter((f) => "id" in f && f.id === id);
  const data = (id: string) => of(id).flatMap((f) => (f.type === "frame" && f.channel === "events" ? [f.data] : []));
  const send = (msg: unknown) => p.ws.send(JSON.stringify(msg));

  send({ type: "subscribe", id: "ev", channel: "events", env: "local", params: { type: "container", object: RUN } });
  await expect.poll(() => data("ev").some((d) => d.type === "state" && "live" in d && d.live)).toBe(true);
  docker("run", "--rm", "--name", RUN, "busybox", "true");
  await expect.poll(() => data("ev").flatMap((d) => (d.type === "event" ? [d.event.action] : []))).toEqual(
    expect.arrayContaining(["create", "start", "die", "destroy"]),
  );
  expect(data("ev").every((d) => d.type !== "event" || (d.event.type === "container" && d.event.name === RUN))).toBe(true);

  const refusals: [string, unknown, string][] = [
    ["r1", { type: "bogus" }, "params.type[0]"],
    ["r2", { since: "tomorrow" }, "params.since"],
    ["r3", { since: Date.now() / 1000 + 86_400 }, "params.since"],
    ["r4", { label: "a".repeat(513) }, "params.label[0]"],
    ["r5", { action: Array.from({ length: 21 }, () => "start") }, "params.action"],
  ];
  for (const [id, params, field] of refusals) {
    send({ type: "subscribe", id, channel: "events", env: "local", params });
    await expect.poll(() => of(id).at(-1)?.type).toBe("closed");
    expect(of(id)[0]).toMatchObject({ type: "error", code: "BAD_REQUEST", field, message: expect.stringMatching(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: `)) });
  }
  expect(p.invalid).toEqual([]);
  p.ws.close();
});
