import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const NAME = "e2e-logs-one";
const P1 = "e2e-logs-p1";
const P2 = "e2e-logs-p2";
const P3 = "e2e-logs-p3";
const PROJECT = "e2elogsproj";

test.afterAll(() => dockerQuiet("rm", "-f", NAME, P1, P2, P3));

test("a container's logs: a new line shows within a second, search finds it, download has it", async ({ page }) => {
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "echo booted; echo 'level=warn msg=\"disk almost full\" pct=91'; echo oops >&2; sleep 600");
  await signIn(page, `/logs?id=${NAME}`);
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
  // Turned on by the server's answer (it records from then on), so click and wait for it.
  await page.getByLabel("Keep history").click();
  await expect(page.getByLabel("Keep history")).toBeChecked();
  await expect(page.getByTestId("history-usage")).toContainText("per container");
});

test("a compose project's logs merged, tagged by container; a container started later joins without reload", async ({ page }) => {
  const label = `com.docker.compose.project=${PROJECT}`;
  docker("run", "-d", "--name", P1, "--label", label, "busybox", "sh", "-c", "echo from-one; sleep 600");
  docker("run", "-d", "--name", P2, "--label", label, "busybox", "sh", "-c", "echo from-two; sleep 600");
  await signIn(page, `/logs?project=${PROJECT}`);
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
