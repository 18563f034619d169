/**
 * Create-form input that once reached the engine or was read silently: an image
 * reference outside Docker's grammar is refused with its field named (in the form,
 * and by the API without the runtime going down), and a pasted command with an
 * open quote is an error naming where the quote starts.
 */
import { expect, type Page, test } from "@playwright/test";
import { dockerQuiet, signIn } from "./helpers";

const CREATE = "/api/trpc/containerCreate.create";
const NAME = "e2e-bad-ref";

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

const section = (page: Page, title: string) => page.getByRole("group", { name: title, exact: true });

test("an image reference outside Docker's grammar is refused naming the field, and the runtime keeps answering", async ({ page }) => {
  await signIn(page, "/e/local/containers/new");
  const general = section(page, "General");
  await general.getByLabel("Image", { exact: true }).fill("a/../../b");
  await expect(general).toContainText('image: invalid reference format: "a/../../b": the path component ".."');

  for (const image of ["a/../../b", "BusyBox", "busy box", "x".repeat(300)]) {
    const res = await page.request.post(CREATE, { data: { json: { env: "local", spec: { image, name: NAME }, createOnly: true } } });
    expect(res.status(), image.slice(0, 20)).toBe(400);
    const err = ((await res.json()) as { error: { json: { message: string; data: { code: string; field?: string; stack?: string } } } }).error.json;
    expect(err.message, image.slice(0, 20)).toMatch(/^image: invalid reference format: /);
    expect(err.data.field).toBe("image");
    expect(err.data.stack).toBeFalsy();
  }

  const health = await page.request.get("/api/health");
  expect(health.status()).toBe(200);
  const list = await page.request.get(`/api/trpc/containers.list?input=${encodeURIComponent(JSON.stringify({ json: { env: "local" } }))}`);
  expect(list.status()).toBe(200);
});

test("a pasted command with an unterminated quote is an error naming its position", async ({ page }) => {
  await signIn(page, "/e/local/containers/new");
  await page.getByLabel("docker run command").fill(`docker run -d --name ${NAME} -e 'A=one two nginx`);
  await page.getByRole("button", { name: "Fill form" }).click();
  const errors = page.getByRole("list", { name: "Errors in the command" });
  await expect(errors).toContainText("unterminated ' quote starting at position 37");
  await expect(errors.getByRole("listitem")).toHaveCount(1);
});
