/** Shared steps of the stacks specs (70–73): the compose CLI as an oracle, a project's objects, the editor, a task's end. */
import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";
import { docker, dockerQuiet } from "./helpers";

const PROJECT = "com.docker.compose.project";

/** docker-compose 1.29 against the private engine (DOCKER_HOST is inherited). */
export function compose(...args: string[]): string {
  return execFileSync("docker-compose", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);

/** The project's containers (all states): service → ids. */
export function projectContainers(project: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines(docker("ps", "-a", "--no-trunc", "--filter", `label=${PROJECT}=${project}`, "--format", '{{.ID}} {{.Label "com.docker.compose.service"}}'))) {
    const [id, service] = l.split(" ");
    (out[service] ??= []).push(id);
  }
  return out;
}

export const projectNetworks = (project: string) => lines(docker("network", "ls", "-q", "--filter", `label=${PROJECT}=${project}`));
export const projectVolumes = (project: string) => lines(docker("volume", "ls", "-q", "--filter", `label=${PROJECT}=${project}`));

/** Removes whatever a spec left of a project (best effort). */
export function removeProject(project: string): void {
  const ids = Object.values(projectContainers(project)).flat();
  if (ids.length) dockerQuiet("rm", "-f", ...ids);
  for (const n of projectNetworks(project)) dockerQuiet("network", "rm", n);
  for (const v of projectVolumes(project)) dockerQuiet("volume", "rm", "-f", v);
}

/** The compose.yaml editor (CodeMirror's content, named like the file). */
export const composeEditor = (page: Page) => page.getByRole("textbox", { name: "compose.yaml", exact: true });

/** Waits for the last task shown on the page to end, and expects it succeeded. */
export async function expectTaskSucceeded(page: Page, timeout = 120_000) {
  const task = page.locator(".task-progress").last();
  await expect(task).toHaveAttribute("data-state", /succeeded|failed|cancelled/, { timeout });
  const state = await task.getAttribute("data-state");
  if (state !== "succeeded") throw new Error(`the task ended ${state}: ${await task.innerText()}`);
}
