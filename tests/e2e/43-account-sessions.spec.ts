/**
 * A user's own account through the browser, for a non-administrator made for
 * this spec: the sessions list (two browser contexts) and signing the other one
 * out; a password change refused by the policy with the field named, then done,
 * ending the other sessions; an administrator's reset forcing a new password
 * first; and a disabled user put out at once.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createUser, removeUser, setUser, signInAs, submitPassword, type TestUser } from "../support/account-user";

let user: TestUser;

test.beforeAll(async () => {
  user = await createUser(`acct${process.pid}`, "a long enough password 43");
});
test.afterAll(() => removeUser(user));

async function signedInPage(browser: Browser, next = "/account"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, user, next);
  return page;
}

const sessionRows = (page: Page) => page.getByRole("table", { name: "Sessions" }).locator("tbody tr");

test("the sessions list shows both browsers; signing the other out sends it to the login page", async ({ browser }) => {
  const a = await signedInPage(browser);
  const b = await signedInPage(browser);
  await a.reload();
  await expect(sessionRows(a)).toHaveCount(2);
  const mine = sessionRows(a).filter({ hasText: "This session" });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("Chrome on Linux");
  await expect(mine).toContainText("127.0.0.1");
  await expect(mine.getByRole("button", { name: "Sign out" })).toHaveCount(0);

  await sessionRows(a).filter({ hasNotText: "This session" }).getByRole("button", { name: "Sign out" }).click();
  await expect(sessionRows(a)).toHaveCount(1);
  await b.reload();
  await expect(b).toHaveURL(/\/login/);
  // The one that stayed is still in.
  await a.reload();
  await expect(a.getByRole("heading", { name: "Account" })).toBeVisible();
  await a.context().close();
  await b.context().close();
});

test("a password change names the field the policy refuses, then ends the other sessions but not this one", async ({ browser }) => {
  const a = await signedInPage(browser);
  // The sessions left from before end first, with "Sign out all other sessions".
  await a.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(sessionRows(a)).toHaveCount(1);
  const other = await signedInPage(browser);
  const form = a.getByRole("form", { name: "Change password" });
  const attempt = async (current: string, next: string) => {
    await form.getByLabel("Current password").fill(current);
    await form.getByLabel("New password", { exact: true }).fill(next);
    await form.getByLabel("Confirm new password").fill(next);
    await form.getByRole("button", { name: "Change password" }).click();
  };
  await attempt(user.password, "short one");
  await expect(form.getByRole("alert")).toHaveText("newPassword: must be at least 12 characters");
  await attempt(user.password, `my name is ${user.username.toUpperCase()}`);
  await expect(form.getByRole("alert")).toHaveText("newPassword: must not contain the username");
  await attempt(user.password, "Password1234");
  await expect(form.getByRole("alert")).toHaveText("newPassword: is one of the most common passwords: choose another");
  await attempt("not the password at all", "a brand new passphrase 43");
  await expect(form.getByRole("alert")).toHaveText("currentPassword: the password is wrong");
  // The field at fault is marked as such.
  await expect(form.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

  await attempt(user.password, "a brand new passphrase 43");
  await expect(form.getByRole("status")).toHaveText("Password changed. 1 other session signed out.");
  user.password = "a brand new passphrase 43";
  await other.reload();
  await expect(other).toHaveURL(/\/login/);
  await a.reload();
  await expect(a.getByRole("heading", { name: "Account" })).toBeVisible();
  await a.context().close();
  await other.context().close();
});

test("after an administrator's reset, every page leads to the new-password page until it is changed", async ({ page }) => {
  setUser(user, "mustChangePassword", true);
  await page.goto("/e/local");
  await submitPassword(page, user);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/account\/password$/);

  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password", { exact: true }).fill(user.password);
  await page.getByLabel("Confirm new password").fill(user.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("form", { name: "Change password" }).getByRole("alert")).toHaveText("newPassword: must differ from the current password");
  const next = "yet another passphrase 43";
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("Confirm new password").fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
  user.password = next;
  await expect(page).not.toHaveURL(/\/account\/password/);
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
});

test("a disabled user is put out at the next request and cannot sign in (same message as a wrong password)", async ({ page }) => {
  await signInAs(page, user, "/account");
  setUser(user, "disabled", true);
  try {
    await page.reload();
    await expect(page).toHaveURL(/\/login/);
    await submitPassword(page, user);
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");
  } finally {
    setUser(user, "disabled", false);
  }
  // Signs in once more, so this address's failure count is cleared for the specs after this one.
  await submitPassword(page, user);
  await expect(page).not.toHaveURL(/\/login/);
});
