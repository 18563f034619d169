/**
 * Who sees which tasks on the dashboard (server/tasks/task-access.ts): the
 * scope from the role's hold on task.read / task.cancel, the list cut down to
 * one's own tasks, a detail frame of someone else's task turned into a
 * refusal; and the transfer methods' input schemas (runtime/transfer/protocol.ts).
 */
import { describe, expect, it } from "vitest";
import { filterTasksFrame, taskScope, taskVisible } from "../../server/tasks/task-access";
import { splitReference, transferError } from "../../runtime/transfer/index";
import { streamFailure } from "../../runtime/tasks/docker-progress";
import { transferMethods } from "../../runtime/transfer/protocol";
import type { TaskSummary } from "../../runtime/tasks/protocol";

const task = (id: string, ownerId?: string): TaskSummary => ({
  id,
  kind: "image.pull",
  title: `Pull ${id}`,
  state: "running",
  startedAt: 1,
  cancellable: true,
  progress: {},
  ...(ownerId ? { owner: { id: ownerId, name: ownerId } } : {}),
});

describe("task scope", () => {
  it("Administrators and Environment administrators see all; every other role only its own", () => {
    expect(taskScope({ scope: "all", role: "admin" }, "task.read")).toBe("all");
    expect(taskScope({ scope: "all", role: "env-admin" }, "task.read")).toBe("all");
    expect(taskScope({ scope: "all", role: "env-admin" }, "task.cancel")).toBe("all");
    for (const role of ["operator", "helpdesk", "standard", "readonly"] as const) {
      // authorize() answers "all" for a permission that names no resource: the table decides.
      expect(taskScope({ scope: "all", role }, "task.read")).toBe("own");
      expect(taskScope({ scope: "own", role }, "task.cancel")).toBe("own");
    }
    expect(taskScope({ scope: "all", role: null }, "task.read")).toBe("own");
  });

  it("a task without an owner is seen only by those who see all", () => {
    expect(taskVisible("own", "u1", task("t_a"))).toBe(false);
    expect(taskVisible("all", "u1", task("t_a"))).toBe(true);
    expect(taskVisible("own", "u1", task("t_a", "u1"))).toBe(true);
  });
});

describe("filterTasksFrame", () => {
  it("cuts the list down to the user's own tasks", () => {
    const json = JSON.stringify({ type: "tasks", tasks: [task("t_a", "u1"), task("t_b", "u2"), task("t_c")] });
    const out = JSON.parse(filterTasksFrame(json, "u1").json) as { tasks: TaskSummary[] };
    expect(out.tasks.map((t) => t.id)).toEqual(["t_a"]);
  });

  it("refuses a detail frame of someone else's task, and passes one's own and errors on", () => {
    const other = filterTasksFrame(Buffer.from(JSON.stringify({ type: "detail", task: task("t_b", "u2"), layers: [], from: 0, lines: ["secret"] })), "u1");
    expect(other.refused).toMatch(/started by someone else/);
    expect(other.json).not.toContain("secret");
    expect(JSON.parse(other.json)).toMatchObject({ type: "error", code: "FORBIDDEN", field: "id" });
    const mine = JSON.stringify({ type: "detail", task: task("t_a", "u1"), layers: [], from: 0, lines: ["x"] });
    expect(filterTasksFrame(mine, "u1")).toEqual({ json: mine });
    const err = JSON.stringify({ type: "error", code: "NOT_FOUND", message: "id: no task", field: "id" });
    expect(filterTasksFrame(err, "u1")).toEqual({ json: err });
  });
});

describe("transfer inputs", () => {
  const pull = transferMethods["images.pull"];
  const push = transferMethods["images.push"];
  it("takes name[:tag|@digest] and splits it as the engine wants it", () => {
    expect(pull.parse({ reference: "nginx" }).reference).toBe("nginx");
    expect(splitReference("nginx")).toEqual({ name: "nginx", tag: "latest", full: "nginx:latest" });
    expect(splitReference("127.0.0.1:5000/a/b:v1")).toEqual({ name: "127.0.0.1:5000/a/b", tag: "v1", full: "127.0.0.1:5000/a/b:v1" });
    const d = `sha256:${"c".repeat(64)}`;
    expect(splitReference(`nginx:1@${d}`)).toEqual({ name: "nginx", tag: d, full: `nginx@${d}` });
  });

  it("refuses what is not a reference, naming the field", () => {
    for (const reference of ["", "../x", "a b", "UPPER", "x".repeat(2000), `sha256:${"a".repeat(64)}`, "a\u0000"]) {
      const r = pull.safeParse({ reference });
      expect(r.success, reference.slice(0, 20)).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(["reference"]);
    }
    expect(push.safeParse({ reference: `nginx@sha256:${"a".repeat(64)}` }).success).toBe(false);
    expect(pull.safeParse({ reference: "nginx", platform: "linux" }).success).toBe(false);
    expect(pull.safeParse({ reference: "nginx", owner: { id: "x", name: "y", extra: 1 } }).success).toBe(false);
    expect(pull.safeParse({ reference: "nginx", auth: { username: "u", password: "p", serveraddress: "docker.io", x: 1 } }).success).toBe(false);
  });
});

describe("transferError", () => {
  it("names the transfer, and codes the registry's refusals by their words", () => {
    const noCreds = transferError(streamFailure("no basic auth credentials"), "push r:1");
    expect(noCreds.code).toBe("UNAUTHORIZED");
    expect(noCreds.message).toMatch(/^push r:1: no basic auth credentials \(the registry refused the credentials .*Registries\)$/);
    // The engine answers some refusals with HTTP 500 before any stream.
    const http500 = transferError({ statusCode: 500, json: { message: "manifest for r:nope not found: manifest unknown" } }, "pull r:nope");
    expect(http500).toMatchObject({ code: "NOT_FOUND", message: "pull r:nope: manifest for r:nope not found: manifest unknown", dockerStatus: 500 });
    const other = transferError({ statusCode: 500, json: { message: "disk full" } }, "pull r:1");
    expect(other).toMatchObject({ code: "INTERNAL", message: "pull r:1: disk full" });
    // An engine that cannot be reached is about the engine, not the transfer.
    expect(transferError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", address: "/x.sock" }), "pull r:1").code).toBe("ENGINE_UNREACHABLE");
  });
});
