/**
 * For the stack engine's integration tests: waiting on a deploy task, the
 * compose CLI (docker-compose 1.29) against the private engine as the oracle,
 * and small inspect helpers.
 */
import { execFileSync } from "node:child_process";
import { expect } from "vitest";
import type { DeployResult } from "../../runtime/stacks/protocol";
import type { TaskSummary } from "../../runtime/tasks/protocol";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { docker } from "./private-engine";

export const owner = { id: "u1", name: "admin" };

export async function waitTask(client: RuntimeClient, id: string, timeoutMs = 120_000): Promise<TaskSummary> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const t = (await client.call("tasks.list", {})).find((x) => x.id === id);
    if (t && t.state !== "running") return t;
    if (Date.now() > until) throw new Error(`task ${id} still running`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a task-answering call and returns the ended task (expecting it succeeded unless told). */
export async function runTask(client: RuntimeClient, started: Promise<{ taskId: string }>, expectOk = true): Promise<TaskSummary> {
  const { taskId } = await started;
  const t = await waitTask(client, taskId);
  if (expectOk) expect(t.state, JSON.stringify(t.error)).toBe("succeeded");
  return t;
}

export const resultOf = (t: TaskSummary) => t.result as DeployResult;

/** `docker-compose …` with the private engine's DOCKER_HOST. */
export function compose(...args: string[]): string {
  return execFileSync("docker-compose", args, { encoding: "utf8", env: process.env, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }).trim();
}

export const containerId = (name: string) => docker("inspect", "-f", "{{.Id}}", name);
export const labelsOf = (name: string) => JSON.parse(docker("inspect", "-f", "{{json .Config.Labels}}", name)) as Record<string, string>;
/** Container names of a project, all states, sorted. */
export const namesOf = (project: string) =>
  docker("ps", "-a", "--filter", `label=com.docker.compose.project=${project}`, "--format", "{{.Names}}").split("\n").filter(Boolean).sort();
export const networkNames = () => docker("network", "ls", "--format", "{{.Name}}").split("\n").filter(Boolean);
export const volumeNames = () => docker("volume", "ls", "--format", "{{.Name}}").split("\n").filter(Boolean);

/** GET a published port until it answers (nginx needs a moment after start). */
export async function httpBody(port: number, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/`)).text();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
