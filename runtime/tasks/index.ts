/**
 * The tasks capability: list and cancel tasks, and `/ws/tasks`, which sends
 * the list (no `id`) or one task's detail (`id`), at most four times a
 * second, only when something changed. Tasks themselves are started by the
 * capabilities that do the work (images: pull, push, build, load…) through
 * registry.ts.
 */
import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import { type Capability, defineCapability } from "../capability";
import { channelParams } from "../protocol/query-params";
import { frameSender } from "../server";
import { TASKS_CHANNEL, type TasksFrame, tasksMethods, tasksParamsSchema, type TasksResults } from "./protocol";
import { cancelTask, listTasks, onTasksChange, taskDetail } from "./registry";
import { RuntimeFailure } from "../engine/errors";

const FRAME_EVERY_MS = 250;

export function tasksCapability(): Capability {
  return defineCapability<typeof tasksMethods, TasksResults>({
    name: "tasks",
    methods: tasksMethods,
    handlers: {
      "tasks.list": async () => listTasks(),
      "tasks.cancel": async ({ id }) => {
        const r = cancelTask(id);
        if (!r) throw new RuntimeFailure({ code: "NOT_FOUND", field: "id", message: `id: no task "${id}" (finished tasks are kept until 200 newer ones)` });
        return r;
      },
    },
    channels: { [TASKS_CHANNEL]: tasksChannel },
  });
}

function tasksChannel(ws: WebSocket, _req: IncomingMessage, url: URL): void {
  const send = frameSender(ws);
  const frame = (f: TasksFrame) => send(JSON.stringify(f));
  const params = channelParams(ws, url, tasksParamsSchema);
  if (!params) return;
  const id = params.id;
  let next = 0;
  // What was last sent: another task's progress wakes every subscriber, and an unchanged frame is not sent again.
  let last = "";
  const flush = (): boolean => {
    if (!id) {
      const json = JSON.stringify({ type: "tasks", tasks: listTasks() } satisfies TasksFrame);
      if (json !== last) send(json);
      last = json;
      return true;
    }
    const d = taskDetail(id, next);
    if (!d) {
      frame({ type: "error", code: "NOT_FOUND", field: "id", message: `id: no task "${id}"` });
      ws.close(1000);
      return false;
    }
    next = d.from + d.lines.length;
    const state = JSON.stringify([d.task, d.layers]);
    if (d.lines.length > 0 || state !== last) frame({ type: "detail", task: d.task, layers: d.layers, from: d.from, lines: d.lines });
    last = state;
    return true;
  };
  if (!flush()) return;
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    timer = undefined;
    if (!dirty || ws.readyState !== ws.OPEN) return;
    dirty = false;
    if (flush()) timer = setTimeout(tick, FRAME_EVERY_MS);
  };
  const stop = onTasksChange(() => {
    dirty = true;
    timer ??= setTimeout(tick, FRAME_EVERY_MS);
  });
  ws.on("close", () => {
    stop();
    clearTimeout(timer);
  });
}
