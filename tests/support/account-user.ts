/**
 * A non-administrator for the account e2e specs, made directly in the shared
 * Berth's SQLite (role "user" with a Standard user grant on `local`), signed in
 * through the login page, and removed at the end. Never the shared ADMIN: its
 * password and two-factor state stay as the other specs expect them.
 */
import crypto from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, type Page } from "@playwright/test";
import { hashPassword } from "../../server/auth/password";
import { e2eDir } from "../e2e/env";

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

export function sql<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(e2eDir(), "data", "berth.db"), { fileMustExist: true, timeout: 5000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export async function createUser(username: string, password: string): Promise<TestUser> {
  const id = `e2e-${username}-${crypto.randomBytes(4).toString("hex")}`;
  const hash = await hashPassword(password);
  const now = new Date().toISOString().replace("Z", "+00:00");
  sql((db) => {
    db.prepare("INSERT INTO User (id, username, passwordHash, role, createdAt, updatedAt) VALUES (?, ?, ?, 'user', ?, ?)").run(id, username, hash, now, now);
    db.prepare("INSERT INTO RoleGrant (id, environmentId, userId, role, createdAt) VALUES (?, 'local', ?, 'standard', ?)").run(`${id}-grant`, id, now);
  });
  return { id, username, password };
}

export function setUser(user: TestUser, column: "disabled" | "mustChangePassword", value: boolean) {
  sql((db) => db.prepare(`UPDATE User SET ${column} = ? WHERE id = ?`).run(value ? 1 : 0, user.id));
}

export function removeUser(user: TestUser) {
  sql((db) => {
    for (const table of ["RecoveryCode", "Session", "RoleGrant"]) db.prepare(`DELETE FROM ${table} WHERE userId = ?`).run(user.id);
    db.prepare("DELETE FROM Setting WHERE key = ?").run(`auth.totp-step.${user.id}`);
    db.prepare("DELETE FROM User WHERE id = ?").run(user.id);
  });
}

/** Fills the login page's first step (the page must be on /login). */
export async function submitPassword(page: Page, user: { username: string; password: string }) {
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in with username and password only (no two-factor) and waits to be past the login page. */
export async function signInAs(page: Page, user: { username: string; password: string }, next = "/account") {
  await page.goto(next);
  await submitPassword(page, user);
  await expect(page).not.toHaveURL(/\/login/);
}

export async function signOut(page: Page) {
  await page.getByLabel("User menu").click();
  // The menu's own button: the Account page also has a "Sign out" per session.
  await page.locator("details.user-menu").getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}
