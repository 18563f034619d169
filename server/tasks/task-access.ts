/**
 * Who sees which tasks. Environment administrators (and Administrators) see
 * every task of the environment; every other role sees only the tasks it
 * started (the runtime tags each task with its owner, the dashboard's user).
 * Tasks name no resource, so `authorize` grants `task.read` to an `own` role
 * with scope "all" (nothing to filter by ownership): the role's hold in the
 * permission table is what decides here.
 */
import type { Access } from "../authz/authorize";
import { roleHolds, type Permission } from "../api/permissions";
import type { TaskSummary } from "~/runtime/tasks/protocol";

/** "all": every task; "own": only the user's own. */
export function taskScope(access: Pick<Access, "scope" | "role">, permission: Permission): "all" | "own" {
  if (access.scope === "own" || !access.role) return "own";
  return roleHolds(access.role, permission) === "all" ? "all" : "own";
}

/** Whether a user whose scope is `scope` sees this task. */
export function taskVisible(scope: "all" | "own", userId: string, task: Pick<TaskSummary, "owner">): boolean {
  return scope === "all" || task.owner?.id === userId;
}

export const notYourTask = (id: string) => `Access denied to task "${id}": it was started by someone else (your role sees only the tasks you started).`;

/**
 * A `/ws/tasks` frame as the runtime sent it, for a user who sees only their
 * own tasks: the list cut down to theirs; a detail frame of someone else's
 * task becomes a FORBIDDEN error (the channel then ends the subscription).
 */
export function filterTasksFrame(json: Buffer | string, userId: string): { json: string; refused?: string } {
  const frame = JSON.parse(json.toString()) as { type: string; tasks?: TaskSummary[]; task?: TaskSummary };
  if (frame.type === "tasks") return { json: JSON.stringify({ ...frame, tasks: (frame.tasks ?? []).filter((t) => taskVisible("own", userId, t)) }) };
  if (frame.type === "detail" && frame.task && !taskVisible("own", userId, frame.task)) {
    const message = notYourTask(frame.task.id);
    return { json: JSON.stringify({ type: "error", code: "FORBIDDEN", field: "id", message }), refused: message };
  }
  return { json: json.toString() };
}
