/**
 * Registries through the UI, against the harness's plain registry: add it
 * (insecure, anonymous), Test login, add credentials (the password never comes
 * back to the page: the edit form shows it empty and "saved"), Browse its
 * repositories and tags (digest and size), delete a throwaway tag pushed for
 * this test, and remove the registry.
 */
import { expect, test, type Page } from "@playwright/test";
import { docker, dockerQuiet, signIn } from "./helpers";

const REG = process.env.BERTH_TEST_REGISTRY!;
const NAME = "e2e-plain-63";
const PASSWORD = "e2e-Registry-Secret-63";
const THROWAWAY = `${REG}/e2e/throwaway-63:one`;

const regRow = (page: Page) => page.locator(`tr[data-registry="${NAME}"]`);

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  docker("tag", "busybox", THROWAWAY);
  docker("push", THROWAWAY);
  dockerQuiet("rmi", THROWAWAY);
});

test("registries: add, test login, credentials never shown, browse, delete a tag, remove", async ({ page }) => {
  await signIn(page, "/registries");
  await expect(page.getByRole("heading", { name: "Registries" })).toBeVisible();

  // Add the plain registry, anonymous and insecure.
  await page.getByRole("button", { name: "Add registry" }).click();
  const add = page.getByRole("form", { name: "Add registry" });
  await add.getByLabel("Name", { exact: true }).fill(NAME);
  await add.getByLabel("Registry URL").fill(`${REG}/v2`);
  await add.getByLabel("Insecure (HTTP)").check();
  await add.getByRole("button", { name: "Save registry" }).click();
  // A path is refused, naming the field.
  await expect(add.getByRole("alert")).toContainText("url: no path");
  await add.getByLabel("Registry URL").fill(REG);
  await add.getByRole("button", { name: "Save registry" }).click();
  await expect(add).toBeHidden();
  await expect(regRow(page)).toContainText(REG);
  await expect(regRow(page)).toContainText("Insecure");
  await expect(regRow(page)).toContainText("anonymous");

  // Test login, anonymously: the registry answers without credentials.
  await regRow(page).getByRole("button", { name: `Test login to ${NAME}` }).click();
  await expect(regRow(page).getByRole("status")).toContainText("answers without credentials");

  // Credentials: saved, then never sent back.
  await regRow(page).getByRole("button", { name: `Edit ${NAME}` }).click();
  let edit = page.getByRole("form", { name: `Edit registry ${NAME}` });
  await edit.getByLabel("Username", { exact: true }).fill("e2e-user");
  await edit.getByLabel("Password / access token").fill(PASSWORD);
  await edit.getByRole("button", { name: "Save registry" }).click();
  await expect(edit).toBeHidden();
  await expect(regRow(page)).toContainText("credentials saved");
  await expect(regRow(page)).toContainText("e2e-user");
  await regRow(page).getByRole("button", { name: `Edit ${NAME}` }).click();
  edit = page.getByRole("form", { name: `Edit registry ${NAME}` });
  await expect(edit.getByLabel("Password / access token")).toHaveValue("");
  await expect(edit.getByLabel("Password / access token")).toHaveAttribute("placeholder", "saved");
  await expect(edit).toContainText("A password is saved");
  expect(await page.content()).not.toContain(PASSWORD);
  const listed = await page.request.get("/api/trpc/registries.list");
  expect(await listed.text()).not.toContain(PASSWORD);
  await edit.getByRole("button", { name: "Cancel" }).click();

  // Test login with the credentials: docker login through the engine (this registry takes any).
  await regRow(page).getByRole("button", { name: `Test login to ${NAME}` }).click();
  await expect(regRow(page).getByRole("status")).toContainText(/Login Succeeded/i);

  // Browse: repositories, then tags with digest and size.
  await regRow(page).getByRole("button", { name: `Browse ${NAME}` }).click();
  const browser = page.getByRole("region", { name: `Browse ${NAME}` });
  const repos = browser.getByRole("list", { name: "Repositories" });
  await expect(repos.getByRole("button", { name: "library/busybox", exact: true })).toBeVisible();
  await repos.getByRole("button", { name: "library/busybox", exact: true }).click();
  const tags = browser.getByRole("table", { name: "Tags of library/busybox" });
  const latest = tags.locator('tr[data-tag="latest"]');
  await expect(latest).toBeVisible();
  await expect(latest.locator("code")).toHaveAttribute("data-digest", /^sha256:[a-f0-9]{64}$/);
  await expect(latest).toContainText(/\d+(\.\d)? (KiB|MiB)/);

  // Delete the throwaway tag (confirmed), and it is gone from the registry.
  await browser.getByLabel("Filter repositories").fill("throwaway");
  await repos.getByRole("button", { name: "e2e/throwaway-63" }).click();
  const ttags = browser.getByRole("table", { name: "Tags of e2e/throwaway-63" });
  await ttags.getByRole("button", { name: "Delete tag one" }).click();
  await browser.getByRole("dialog", { name: "Delete tag e2e/throwaway-63:one" }).getByRole("button", { name: "Delete tag" }).click();
  await expect(browser.getByRole("status")).toContainText("Deleted e2e/throwaway-63:one");
  await expect(browser.getByText("No tags.")).toBeVisible();
  const gone = await fetch(`http://${REG}/v2/e2e/throwaway-63/manifests/one`);
  expect(gone.status).toBe(404);

  // Remove the registry.
  await regRow(page).getByRole("button", { name: `Remove ${NAME}` }).click();
  await page.getByRole("dialog", { name: `Remove registry ${NAME}` }).getByRole("button", { name: "Remove registry" }).click();
  await expect(regRow(page)).toHaveCount(0);
});
