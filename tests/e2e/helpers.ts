import { execFileSync } from "node:child_process";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN } from "./env";

export { freePort } from "../support/free-port";

/** The docker CLI against the private engine (DOCKER_HOST is inherited). */
export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function dockerQuiet(...args: string[]): void {
  try {
    docker(...args);
  } catch {
    // best effort (cleanup)
  }
}

export function inspect(name: string, format: string): string {
  return docker("inspect", "-f", format, name);
}

export function harness(cmd: "stop-engine" | "start-engine"): void {
  execFileSync("bash", ["tests/harness/engine.sh", cmd], { stdio: "inherit" });
}

export async function signIn(page: Page, next = "/", as: { username: string; password: string } = ADMIN) {
  await page.goto(next);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(as.username);
  await page.getByLabel("Password").fill(as.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export function row(page: Page, name: string) {
  return page.locator(`tr[data-container="${name}"]`);
}

/**
 * A tRPC mutation with this context's cookie. Sent again once on ECONNRESET: the
 * request context keeps idle connections, and one the server closed (its 5 s
 * keep-alive) just as a request went out was never read, so nothing happened.
 */
export async function trpcMutate(request: APIRequestContext, path: string, input: unknown) {
  const send = () => request.post(`/api/trpc/${path}`, { data: { json: input } });
  try {
    return await send();
  } catch (err) {
    if (!String(err).includes("ECONNRESET")) throw err;
    return send();
  }
}
