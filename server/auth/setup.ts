/**
 * First run: until an administrator exists, every page leads to /setup and
 * the setup token printed at start-up is the only way in.
 */
import crypto from "node:crypto";
import { db } from "../db";
import { BerthError } from "../errors";
import { state } from "../state";
import { hashPassword } from "./password";
import { passwordProblem } from "./password-policy";

export async function adminExists(): Promise<boolean> {
  if (state.adminExists) return true;
  const count = await db.user.count({ where: { role: "admin" } });
  state.adminExists = count > 0;
  return state.adminExists;
}

export const SETUP_DONE = "Setup is already done: sign in instead.";

/** A new token on every start until setup is done (≥ 20 url-safe characters). */
export async function issueSetupToken(): Promise<string | undefined> {
  if (await adminExists()) {
    state.setupToken = undefined;
    return undefined;
  }
  state.setupToken = crypto.randomBytes(18).toString("base64url");
  return state.setupToken;
}

/** Whether `given` is this start's setup token (also asked by the restore upload, server/http/backup.ts). */
export function tokenMatches(given: string): boolean {
  const expected = state.setupToken;
  if (!expected) return false;
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export async function createAdministrator(input: { setupToken: string; username: string; password: string }) {
  if (await adminExists()) throw new BerthError("NOT_FOUND", SETUP_DONE);
  if (!tokenMatches(input.setupToken.trim())) {
    throw new BerthError("FORBIDDEN", "The setup token is wrong. Use the token printed by the start command.", {
      field: "setupToken",
    });
  }
  const weak = passwordProblem(input.password, input.username, "password");
  if (weak) throw new BerthError("BAD_REQUEST", weak.message, { field: weak.field });
  const passwordHash = await hashPassword(input.password);
  // Re-checked inside the transaction: two racing setups must not both win.
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new BerthError("NOT_FOUND", SETUP_DONE);
    return tx.user.create({ data: { username: input.username, passwordHash, role: "admin" } });
  });
  state.adminExists = true;
  state.setupToken = undefined;
  return { id: user.id, username: user.username };
}
