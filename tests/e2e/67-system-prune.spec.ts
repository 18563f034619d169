/**
 * The Engine page and prune with a preview, in the browser: the page shows the
 * engine's storage driver (as `docker info` says it) and disk usage like
 * `docker system df`; a volume prune of all unused volumes previews a volume
 * the test made unused on the engine, removes it on confirm, and says so; a
 * volume mounted between preview and confirm is skipped and named.
 */
import { expect, test } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const tag = `e2e-prune-${Date.now().toString(36)}`;
const gone = `${tag}-gone`;
const kept = `${tag}-kept`;

test.afterAll(() => {
  dockerQuiet("rm", "-f", `${tag}-user`);
  dockerQuiet("volume", "rm", "-f", gone);
  dockerQuiet("volume", "rm", "-f", kept);
});

test("the Engine page shows the storage driver and disk usage", async ({ page }) => {
  await signIn(page, "/e/local/engine");
  await expect(page.getByRole("heading", { name: "Engine", level: 1 })).toBeVisible();
  const storage = page.getByRole("region", { name: "Storage" });
  await expect(storage).toContainText("Storage driver");
  await expect(storage).toContainText(docker("info", "-f", "{{.Driver}}"));
  await expect(page.getByRole("region", { name: "Version" })).toContainText(docker("version", "-f", "{{.Server.Version}}"));
  const summary = page.getByRole("table", { name: "Disk usage summary" });
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const images = summary.locator('tr[data-type="Images"]');
  // The image count docker system df gives.
  const count = JSON.parse(docker("system", "df", "--format", "{{json .}}").split("\n")[0]!) as { TotalCount: number | string };
  await expect(images.locator("td").first()).toHaveText(String(count.TotalCount));
  await expect(summary).toContainText("Reclaimable");
  await expect(page.getByRole("button", { name: "System prune" })).toBeVisible();
});

test("a volume prune previews the unused volume, removes it on confirm, and skips one mounted since the preview", async ({ page }) => {
  docker("volume", "create", gone);
  docker("volume", "create", kept);
  await signIn(page, "/e/local/engine");
  // The Volumes page places the same button; here the engine page's system prune does volumes only when asked.
  await page.getByRole("button", { name: "System prune" }).click();
  const dialog = page.getByRole("dialog", { name: "System prune" });
  await dialog.getByRole("checkbox", { name: "Include volumes" }).check();
  await dialog.getByRole("group", { name: "Volumes" }).getByRole("radio", { name: "All unused" }).check();
  await expect(dialog.getByTestId("cli")).toHaveText("docker system prune --volumes");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.goto("/e/local/volumes");
  await page.getByRole("button", { name: "Prune unused volumes" }).click();
  const prune = page.getByRole("dialog", { name: "Prune unused volumes" });
  await prune.getByRole("radio", { name: "All unused" }).check();
  await expect(prune.getByTestId("cli")).toHaveText("docker volume prune --all");
  await prune.getByRole("button", { name: "Preview" }).click();
  const items = prune.getByRole("table", { name: "Items to remove" });
  await expect(items.locator(`tr[data-id="${gone}"]`)).toBeVisible();
  await expect(items.locator(`tr[data-id="${kept}"]`)).toBeVisible();
  await expect(prune.getByTestId("prune-summary")).toContainText("would be removed, reclaiming");

  // Between the preview and the confirm, a container mounts one of the previewed volumes.
  docker("create", "--name", `${tag}-user`, "-v", `${kept}:/data`, "busybox", "true");
  const n = await items.locator("tbody tr").count();
  await prune.getByRole("button", { name: `Remove ${n} item${n === 1 ? "" : "s"}` }).click();
  const results = prune.getByRole("table", { name: "Prune results" });
  await expect(results.locator(`tr[data-id="${gone}"]`)).toHaveAttribute("data-outcome", "removed");
  await expect(results.locator(`tr[data-id="${kept}"]`)).toHaveAttribute("data-outcome", "skipped");
  await expect(results.locator(`tr[data-id="${kept}"]`)).toContainText(`in use by container ${tag}-user`);
  await expect(prune.getByTestId("prune-result-summary")).toContainText("skipped 1");

  expect(docker("volume", "ls", "-q", "--filter", `name=${tag}`).split("\n").filter(Boolean)).toEqual([kept]);

  // The audit entry keeps what happened to each id.
  const list = await page.request.get(`/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { action: "system.prune", limit: 5 } }))}`);
  expect(list.status()).toBe(200);
  const entry = ((await list.json()) as { result: { data: { json: { items: { outcome: string; targetName?: string; details: string | null }[] } } } }).result.data.json.items[0]!;
  expect(entry.outcome).toBe("ok");
  // The list shows the start of the details: what was skipped, and why, comes first (other specs may leave more volumes to remove).
  expect(entry.details).toContain(`"skipped":[{"type":"volume","id":"${kept}","reason":"in use by container ${tag}-user`);
  expect(entry.details).toMatch(/"counts":\{"removed":[1-9]\d*,"skipped":1,"failed":0\}/);
});
