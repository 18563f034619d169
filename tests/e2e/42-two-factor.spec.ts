/**
 * Two-factor sign-in through the browser, for a non-administrator made for
 * this spec: enrol from the Account page with a code computed here from the
 * secret the page shows, sign in with a recovery code (once only), then with a
 * TOTP code, which cannot be used again; the secret is not in the database in clear.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { createUser, removeUser, signInAs, signOut, sql, submitPassword, type TestUser } from "../support/account-user";
import { e2eDir } from "./env";

let user: TestUser;
/** The recovery codes of the enrolment, for the next test. */
let recovery: string[] = [];

test.beforeAll(async () => {
  user = await createUser(`tfa${process.pid}`, "a long enough password 42");
});
test.afterAll(() => removeUser(user));

const totp = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
const step = (at = Date.now()) => Math.floor(at / 30_000);

async function enterCode(page: Page, code: string) {
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test("enrol in two-factor sign-in, then sign in with a recovery code (once) and a TOTP code (once)", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, user, "/account");
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  await expect(page.getByTestId("two-factor-state")).toContainText("is off");

  const setUp = page.getByRole("form", { name: "Set up two-factor sign-in" });
  // The password is asked again first.
  await setUp.getByLabel("Password", { exact: true }).fill("not my password at all");
  await setUp.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(setUp.getByRole("alert")).toHaveText("password: the password is wrong");
  await setUp.getByLabel("Password", { exact: true }).fill(user.password);
  await setUp.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // A wrong code is refused, naming the field.
  const now = totp(secret).generate();
  await page.getByLabel("Authentication code").fill(now === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("form", { name: "Set up two-factor sign-in" }).getByRole("alert")).toContainText("authCode: wrong authentication code");

  const enrolStep = step();
  await page.getByLabel("Authentication code").fill(totp(secret).generate());
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  expect(codes[0]).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  recovery = codes;
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByTestId("two-factor-state")).toContainText("Recovery codes left: 10");

  // Neither the secret nor a recovery code is in the database file in clear.
  const db = path.join(e2eDir(), "data", "berth.db");
  const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  expect(bytes.includes(secret)).toBe(false);
  expect(bytes.includes(codes[0]!)).toBe(false);

  // The password alone no longer signs in: the page asks for the code.
  await signOut(page);
  await submitPassword(page, user);
  await enterCode(page, codes[0]!);
  await expect(page).not.toHaveURL(/\/login/);

  // The same recovery code a second time is refused.
  await page.goto("/account");
  await signOut(page);
  await submitPassword(page, user);
  await enterCode(page, codes[0]!);
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong authentication code.");
  await expect(page).toHaveURL(/\/login/);

  // A TOTP code of a step after the enrolment's (that step's code is used up).
  while (step() <= enrolStep) await page.waitForTimeout(1000);
  const code = totp(secret).generate();
  await enterCode(page, code);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/account");
  await expect(page.getByTestId("two-factor-state")).toContainText("Recovery codes left: 9");

  // That code cannot sign in again.
  await signOut(page);
  await submitPassword(page, user);
  await enterCode(page, code);
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong authentication code.");
  await expect(page).toHaveURL(/\/login/);
});

test("new recovery codes replace the old ones; turning two-factor sign-in off needs the password", async ({ page }) => {
  expect(recovery.length, "the enrolment test ran first").toBe(10);
  await page.goto("/account");
  await submitPassword(page, user);
  await enterCode(page, recovery[1]!);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/account");

  await page.getByRole("button", { name: "Generate new recovery codes" }).click();
  const regenerate = page.getByRole("form", { name: "Generate new recovery codes" });
  await regenerate.getByLabel("Password", { exact: true }).fill(user.password);
  await regenerate.getByRole("button", { name: "Generate", exact: true }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const fresh = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  expect(fresh).not.toContain(recovery[2]);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByTestId("two-factor-state")).toContainText("Recovery codes left: 10");

  await page.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  const turnOff = page.getByRole("form", { name: "Turn off two-factor sign-in" });
  await turnOff.getByLabel("Authentication code").fill(recovery[2]!);
  await turnOff.getByRole("button", { name: "Turn off", exact: true }).click();
  // An old recovery code no longer counts.
  await expect(turnOff.getByRole("alert")).toContainText("authCode: wrong authentication code");
  await turnOff.getByLabel("Authentication code").fill(fresh[0]!);
  await turnOff.getByRole("button", { name: "Turn off", exact: true }).click();
  await expect(page.getByTestId("two-factor-state")).toContainText("is off");

  // The password alone signs in again.
  await signOut(page);
  await submitPassword(page, user);
  await expect(page).not.toHaveURL(/\/login/);
});

test("when two-factor sign-in is required, a user without it is sent to set it up before anything else", async ({ page }) => {
  test.setTimeout(90_000);
  // Set in the database for this test only (through the page, an administrator must have two-factor on first,
  // and the shared administrator must not); put back, and outwaited (the server caches it 5 s), at the end.
  sql((db) => db.prepare("INSERT INTO Setting (key, value) VALUES ('auth.require2fa', 'all') ON CONFLICT(key) DO UPDATE SET value = 'all'").run());
  try {
    await page.waitForTimeout(6_000);
    await page.goto("/e/local");
    await submitPassword(page, user);
    await expect(page).toHaveURL(/\/account\/two-factor$/);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/account\/two-factor$/);
    await expect(page.getByRole("heading", { name: "Set up two-factor sign-in" })).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    await page.getByLabel("Authentication code").fill(totp(secret).generate());
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect(page).not.toHaveURL(/\/account\/two-factor/);
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
    // Required: it cannot be turned off.
    await expect(page.getByTestId("two-factor-state")).toContainText("is on since");
    await expect(page.getByRole("button", { name: "Turn off two-factor sign-in" })).toHaveCount(0);
  } finally {
    sql((db) => db.prepare("DELETE FROM Setting WHERE key = 'auth.require2fa'").run());
    await page.waitForTimeout(6_000);
  }
});
