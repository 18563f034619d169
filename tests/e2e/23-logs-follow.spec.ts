/**
 * Follow holds until the reader moves: the Logs tab of a container writing
 * ~300 lines/s, left alone for 30 s, shows the newest line every second; a
 * wheel up releases follow and the view stays put; "Jump to latest" resumes;
 * PageUp and End do the same from the keyboard; so does a drag,
 * while a scroll the reader did not make does not.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const NAME = `e2e-logs-follow-${randomBytes(3).toString("hex")}`;
// 30 numbered lines every 100 ms: ~300 lines/s, each line's counter tells how far behind a view is.
const WRITER = "i=0; while :; do for j in $(seq 30); do i=$((i+1)); echo line $i; done; sleep 0.1; done";
// One second of lines, the most the view may trail the engine.
const MAX_LAG = 300;

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

/**
 * The newest line the engine has (`docker logs --tail 1`), asked of its API
 * directly: forking the CLI takes long enough on a busy machine to count as lag.
 */
function engineNewest(): Promise<number> {
  const socketPath = process.env.DOCKER_HOST!.replace(/^unix:\/\//, "");
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: `/containers/${NAME}/logs?stdout=1&stderr=1&tail=1` }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          // One multiplexed frame: an 8-byte header, then the line.
          const m = /line (\d+)/.exec(Buffer.concat(chunks).subarray(8).toString());
          resolve(m ? Number(m[1]) : 0);
        });
      })
      .on("error", reject);
  });
}

/** The counters of the first and last rows wholly inside the log's viewport. */
function visibleRange(page: Page): Promise<{ first: number; last: number }> {
  return page.getByRole("log", { name: "Log lines" }).evaluate((el) => {
    const box = el.getBoundingClientRect();
    let first = -1;
    let last = -1;
    for (const row of el.querySelectorAll(".log-row")) {
      const b = row.getBoundingClientRect();
      const m = /line (\d+)/.exec(row.textContent ?? "");
      if (!m || b.top < box.top - 1 || b.bottom > box.top + el.clientHeight + 1) continue;
      const n = Number(m[1]);
      first = first < 0 ? n : Math.min(first, n);
      last = Math.max(last, n);
    }
    return { first, last };
  });
}

test("a followed log stays on the newest line until the reader scrolls, and Jump to latest resumes", async ({ page }) => {
  test.setTimeout(150_000);
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", WRITER);

  // The writer really writes ~300 lines/s (measured on the engine, over 3 s).
  await expect.poll(engineNewest, { timeout: 10_000 }).toBeGreaterThan(0);
  const r0 = await engineNewest();
  const t0 = Date.now();
  await page.waitForTimeout(3000);
  const rate = (((await engineNewest()) - r0) * 1000) / (Date.now() - t0);
  console.log(`[logs-follow] writer: ${rate.toFixed(0)} lines/s`);
  expect(rate).toBeGreaterThan(200);
  expect(rate).toBeLessThan(400);

  await signIn(page, `/e/local/containers/${NAME}`);
  await page.getByRole("navigation", { name: "Container views" }).getByRole("link", { name: "Logs" }).click();
  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log).toContainText(/line \d+/);
  const jump = page.getByRole("button", { name: "Jump to latest" });

  // Touch nothing for 30 s; every second, the last row in view is within a second of the engine's newest.
  const lags: number[] = [];
  let jumpShown = 0;
  for (let s = 0; s < 30; s++) {
    await page.waitForTimeout(1000);
    const { last } = await visibleRange(page);
    const newest = await engineNewest();
    lags.push(newest - last);
    if (await jump.isVisible()) jumpShown++;
  }
  console.log(`[logs-follow] untouched 30 s: lag in lines per second ${lags.join(" ")}; max ${Math.max(...lags)}; "Jump to latest" shown ${jumpShown}/30`);
  expect(jumpShown, '"Jump to latest" shown while nobody scrolled').toBe(0);
  expect(Math.max(...lags), "lines between the newest in view and the engine's newest").toBeLessThanOrEqual(MAX_LAG);

  // The reader wheels up: follow lets go, and the lines in view stay while new ones arrive below.
  const box = (await log.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -900);
  await expect(jump).toBeVisible();
  await page.waitForTimeout(500);
  const held = await visibleRange(page);
  const newestHeld = await engineNewest();
  expect(newestHeld - held.last, "the wheel moved the view up").toBeGreaterThan(20);
  await page.waitForTimeout(3000);
  const later = await visibleRange(page);
  expect((await engineNewest()) - newestHeld, "lines kept arriving").toBeGreaterThan(600);
  expect(later, "the view stayed put").toEqual(held);
  await expect(jump).toBeVisible();

  // "Jump to latest" follows again.
  await jump.click();
  await expect(jump).toBeHidden();
  const after: number[] = [];
  for (let s = 0; s < 5; s++) {
    await page.waitForTimeout(1000);
    const { last } = await visibleRange(page);
    after.push((await engineNewest()) - last);
    await expect(jump).toBeHidden();
  }
  console.log(`[logs-follow] after "Jump to latest": lag ${after.join(" ")}`);
  expect(Math.max(...after)).toBeLessThanOrEqual(MAX_LAG);

  // The keyboard too: PageUp in the focused log lets go, End follows again.
  await log.focus();
  await page.keyboard.press("PageUp");
  await expect(jump).toBeVisible();
  await page.waitForTimeout(500);
  const paged = await visibleRange(page);
  await page.waitForTimeout(1000);
  expect(await visibleRange(page), "the view stayed put after PageUp").toEqual(paged);
  expect((await engineNewest()) - paged.last, "lines kept arriving below").toBeGreaterThan(200);
  await page.keyboard.press("End");
  await expect(jump).toBeHidden();
  await page.waitForTimeout(1000);
  const { last } = await visibleRange(page);
  expect((await engineNewest()) - last).toBeLessThanOrEqual(MAX_LAG);

  // A scroll up the reader did not make (a script's here) does not let go: the view goes back to the end.
  await log.evaluate((el) => {
    el.scrollTop -= 600;
  });
  await page.waitForTimeout(1000);
  await expect(jump).toBeHidden();
  expect((await engineNewest()) - (await visibleRange(page)).last).toBeLessThanOrEqual(MAX_LAG);

  // One made while a pointer is down on the log, as when dragging its scrollbar, does. (Headless
  // Chromium draws no scrollbar to drag: the drag's scroll is made while the button is held.)
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await log.evaluate((el) => {
    el.scrollTop -= 600;
  });
  await page.waitForTimeout(300);
  await page.mouse.up();
  await expect(jump).toBeVisible();
  await jump.click();
  await expect(jump).toBeHidden();
  for (let s = 0; s < 3; s++) {
    await page.waitForTimeout(1000);
    await expect(jump).toBeHidden();
    expect((await engineNewest()) - (await visibleRange(page)).last).toBeLessThanOrEqual(MAX_LAG);
  }
  docker("rm", "-f", NAME);
});
