import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const NAME = "e2e-logs-one";
const P1 = "e2e-logs-p1";
const P2 = "e2e-logs-p2";
const P3 = "e2e-logs-p3";
const PROJECT = "e2elogsproj";
const LONG = "e2e-logs-long";

test.afterAll(() => dockerQuiet("rm", "-f", NAME, P1, P2, P3, LONG));

test("a container's logs: a new line shows within a second, search finds it, download has it", async ({ page }) => {
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "echo booted; echo 'level=warn msg=\"disk almost full\" pct=91'; echo oops >&2; sleep 600");
  await signIn(page, `/e/local/logs?id=${NAME}`);
  await expect(page.getByRole("heading", { name: `Logs: ${NAME}` })).toBeVisible();
  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log).toContainText("booted");
  // logfmt fields and the level badge; stderr marked.
  await expect(log.locator(".log-level-warn")).toHaveText("warn");
  await expect(log.locator('[data-stream="stderr"]')).toContainText("oops");

  const word = `hello-${Date.now()}`;
  docker("exec", NAME, "sh", "-c", `echo ${word} > /proc/1/fd/1`);
  await expect(log).toContainText(word, { timeout: 1_000 });

  await page.getByLabel("Search").fill("hello-");
  await expect(page.getByRole("status", { name: "Match count" })).toHaveText("1 match");
  await expect(log).not.toContainText("booted");
  await expect(log).toContainText(word);
  // New matching lines keep arriving while searching; others do not cross the wire.
  docker("exec", NAME, "sh", "-c", `echo ${word}-again > /proc/1/fd/1; echo unrelated > /proc/1/fd/1`);
  await expect(page.getByRole("status", { name: "Match count" })).toHaveText("2 matches");
  await expect(log).not.toContainText("unrelated");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download" }).click()]);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text).toMatch(new RegExp(`^\\S+Z ${word}\\n\\S+Z ${word}-again\\n$`));

  // A bad regex is an error to read, not a broken page.
  await page.getByLabel("Regex").check();
  await page.getByLabel("Search").fill("(unclosed");
  await expect(page.getByRole("region", { name: "Logs" }).getByRole("alert")).toContainText("invalid regular expression");
  await page.getByLabel("Regex").uncheck();
  await page.getByLabel("Search").fill("");
  await expect(log).toContainText("booted");

  // Keep history: on, with its caps shown.
  // Enabled once the server's setting is known; turned on by the server's answer, so click and wait for it.
  const keep = page.getByLabel("Keep history");
  await expect(keep).toBeEnabled();
  if (!(await keep.isChecked())) await keep.click();
  await expect(keep).toBeChecked();
  await expect(page.getByTestId("history-usage")).toContainText("per container");
});

test("a compose project's logs merged, tagged by container; a container started later joins without reload", async ({ page }) => {
  const label = `com.docker.compose.project=${PROJECT}`;
  docker("run", "-d", "--name", P1, "--label", label, "busybox", "sh", "-c", "echo from-one; sleep 600");
  docker("run", "-d", "--name", P2, "--label", label, "busybox", "sh", "-c", "echo from-two; sleep 600");
  await signIn(page, `/e/local/logs?project=${PROJECT}`);
  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log).toContainText("from-one");
  await expect(log).toContainText("from-two");
  await expect(log.locator(".log-src", { hasText: P1 }).first()).toBeVisible();
  const legend = page.getByLabel("Containers");
  await expect(legend).toContainText(P1);
  docker("run", "-d", "--name", P3, "--label", label, "busybox", "sh", "-c", "echo from-three; sleep 600");
  await expect(log).toContainText("from-three", { timeout: 3_000 });
  await expect(legend).toContainText(P3);
});

test("scrolling back loads older lines from the server", async ({ page }) => {
  docker("run", "-d", "--name", LONG, "busybox", "sh", "-c", "seq 1 3000; sleep 600");
  await signIn(page, `/e/local/logs?id=${LONG}`);
  await page.getByLabel("Tail").selectOption("100");
  const status = page.getByTestId("log-status");
  await expect(status).toContainText("100 lines in view");
  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log).toContainText("3000");
  await log.hover();
  await page.mouse.wheel(0, -100_000);
  const inView = async () => Number((/([\d,]+) lines in view/.exec((await status.textContent()) ?? "")?.[1] ?? "0").replace(/,/g, ""));
  await expect.poll(inView).toBeGreaterThanOrEqual(1100);
  // The view stayed where the reader was; just above it now are the older lines.
  await page.mouse.wheel(0, -900);
  await expect
    .poll(async () => Math.min(...(await log.innerText()).split("\n").map(Number).filter((n) => n > 0 && n <= 3000)))
    .toBeLessThan(2901);
});
