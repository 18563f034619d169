/**
 * The runtime's task registry (runtime/tasks/registry.ts) and the follower of
 * Docker's JSON progress streams (docker-progress.ts): a task's life
 * (running → succeeded / failed / cancelled), its layers adding up to the
 * overall bytes, output lines kept and counted past the cap, cancellation
 * closing the engine's stream, and an error inside a 200 stream becoming the
 * task's error with the code its words imply.
 */
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { followDockerStream, streamFailure } from "../../runtime/tasks/docker-progress";
import { cancelTask, getTask, listTasks, onTasksChange, resetTasks, startTask, type TaskHandle, taskDetail } from "../../runtime/tasks/registry";
import { taskSummarySchema, tasksFrameSchema } from "../../runtime/tasks/protocol";

afterEach(() => resetTasks());

/** Resolves once the task is no longer running. */
async function settled(id: string, ms = 2000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const t = getTask(id);
    if (t && t.state !== "running") return t;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`task ${id} still running after ${ms} ms`);
}

/** A task whose run gets a handle the test drives; `finish` resolves the run. */
function manualTask(spec: Parameters<typeof startTask>[0] = { kind: "image.pull", title: "Pull nginx:latest", cancellable: true }) {
  let handle!: TaskHandle;
  let finish!: (v: unknown) => void;
  let fail!: (e: unknown) => void;
  const ready = new Promise<void>((resolveReady) => {
    const summary = startTask(spec, (t) => {
      handle = t;
      resolveReady();
      return new Promise((res, rej) => {
        finish = res;
        fail = rej;
      });
    });
    (manualTask as unknown as { last: string }).last = summary.id;
  });
  const id = (manualTask as unknown as { last: string }).last;
  return { id, ready, handle: () => handle, finish: (v: unknown) => finish(v), fail: (e: unknown) => fail(e) };
}

const line = (o: unknown) => `${JSON.stringify(o)}\n`;

describe("task registry", () => {
  it("answers with a running task at once, and runs it after the answer", async () => {
    let ran = false;
    const s = startTask({ kind: "image.pull", title: "Pull x", owner: { id: "u1", name: "ada" } }, async () => {
      ran = true;
      return { id: "sha256:abc" };
    });
    expect(s.id).toMatch(/^t_[A-Za-z0-9_-]+$/);
    expect(s.state).toBe("running");
    expect(ran).toBe(false);
    expect(taskSummarySchema.parse(s)).toBeTruthy();
    const done = await settled(s.id);
    expect(done).toMatchObject({ state: "succeeded", result: { id: "sha256:abc" }, owner: { id: "u1", name: "ada" } });
    expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt);
  });

  it("sums the layers' bytes into the overall progress and keeps each layer's latest status", async () => {
    const t = manualTask();
    await t.ready;
    const h = t.handle();
    h.layer({ id: "a", status: "Downloading", current: 10, total: 100 });
    h.layer({ id: "b", status: "Downloading", current: 50, total: 300 });
    h.layer({ id: "a", status: "Downloading", current: 100, total: 100 });
    h.layer({ id: "a", status: "Pull complete" });
    const d = taskDetail(t.id, 0)!;
    expect(d.layers).toEqual([
      { id: "a", status: "Pull complete", current: 100, total: 100 },
      { id: "b", status: "Downloading", current: 50, total: 300 },
    ]);
    expect(d.task.progress).toMatchObject({ current: 150, total: 400 });
    t.finish(undefined);
    await settled(t.id);
  });

  it("keeps the newest 5000 lines and says from which line number they start", async () => {
    const t = manualTask();
    await t.ready;
    for (let i = 0; i < 5100; i++) t.handle().line(`line ${i}`);
    const d = taskDetail(t.id, 0)!;
    expect(d.from).toBe(100);
    expect(d.lines).toHaveLength(5000);
    expect(d.lines[0]).toBe("line 100");
    // A follower that has seen up to line 5095 gets only the last five.
    expect(taskDetail(t.id, 5095)!.lines).toEqual(["line 5095", "line 5096", "line 5097", "line 5098", "line 5099"]);
    t.finish(undefined);
    await settled(t.id);
  });

  it("a rejection becomes the task's error in the protocol's words", async () => {
    const t = manualTask();
    await t.ready;
    t.fail(streamFailure("manifest for nginx:nope not found: manifest unknown"));
    const done = await settled(t.id);
    expect(done.state).toBe("failed");
    expect(done.error).toEqual({ code: "NOT_FOUND", message: "manifest for nginx:nope not found: manifest unknown" });
  });

  it("cancels a running cancellable task at once and aborts its signal; not twice, not a finished one", async () => {
    const t = manualTask();
    await t.ready;
    const r = cancelTask(t.id)!;
    expect(r.cancelled).toBe(true);
    expect(r.task.state).toBe("cancelled");
    expect(t.handle().signal.aborted).toBe(true);
    // The operation's own rejection afterwards does not turn it into "failed".
    t.fail(new Error("stream destroyed"));
    await new Promise((res) => setTimeout(res, 20));
    expect(getTask(t.id)).toMatchObject({ state: "cancelled", error: { code: "CONFLICT", message: "cancelled" } });
    expect(cancelTask(t.id)!.cancelled).toBe(false);
    expect(cancelTask("t_nope")).toBeUndefined();
  });

  it("does not cancel a task that cannot be cancelled", async () => {
    const t = manualTask({ kind: "image.load", title: "Load", cancellable: false });
    await t.ready;
    expect(cancelTask(t.id)).toMatchObject({ cancelled: false, task: { state: "running" } });
    t.finish(undefined);
    expect((await settled(t.id)).state).toBe("succeeded");
  });

  it("lists newest first and keeps at most 200, dropping the oldest finished ones", async () => {
    const first = startTask({ kind: "k", title: "first" }, async () => undefined);
    await settled(first.id);
    const running = manualTask({ kind: "k", title: "long" });
    await running.ready;
    const ids: string[] = [];
    for (let i = 0; i < 205; i++) ids.push(startTask({ kind: "k", title: `t${i}` }, async () => undefined).id);
    await settled(ids[ids.length - 1]!);
    const list = listTasks();
    expect(list.length).toBeLessThanOrEqual(200);
    expect(list[0]!.title).toBe("t204");
    expect(list.some((t) => t.id === first.id)).toBe(false);
    // A running task is never evicted.
    expect(list.some((t) => t.id === running.id)).toBe(true);
    running.finish(undefined);
  });

  it("tells listeners of every change, and stops telling one that unsubscribed", async () => {
    let calls = 0;
    const stop = onTasksChange(() => calls++);
    const t = manualTask();
    await t.ready;
    t.handle().line("x");
    expect(calls).toBeGreaterThanOrEqual(1);
    stop();
    const before = calls;
    t.handle().line("y");
    expect(calls).toBe(before);
    t.finish(undefined);
  });
});

describe("followDockerStream", () => {
  it("turns a pull's messages into layers with bytes, lines, and resolves with the statuses", async () => {
    const t = manualTask();
    await t.ready;
    const stream = new PassThrough();
    const followed = followDockerStream(stream, t.handle());
    stream.write(line({ status: "Pulling from library/nginx", id: "latest" }));
    stream.write(line({ status: "Pulling fs layer", progressDetail: {}, id: "aaa" }));
    // A message split across chunks is joined before it is read.
    const split = line({ status: "Downloading", progressDetail: { current: 512, total: 2048 }, progress: "[==>  ]", id: "aaa" });
    stream.write(split.slice(0, 20));
    stream.write(split.slice(20));
    expect(taskDetail(t.id, 0)!.layers).toEqual([{ id: "aaa", status: "Downloading", current: 512, total: 2048 }]);
    stream.write(line({ status: "Download complete", progressDetail: {}, id: "aaa" }));
    stream.write(line({ status: "Pull complete", progressDetail: {}, id: "aaa" }));
    stream.write(line({ status: "Digest: sha256:" + "a".repeat(64) }));
    stream.end(JSON.stringify({ status: "Status: Downloaded newer image for nginx:latest" }));
    const r = await followed;
    expect(r.lastStatus).toBe("Status: Downloaded newer image for nginx:latest");
    expect(r.statuses).toContain(`Digest: sha256:${"a".repeat(64)}`);
    const d = taskDetail(t.id, 0)!;
    // A finished layer counts all of its bytes.
    expect(d.layers).toEqual([{ id: "aaa", status: "Pull complete", current: 2048, total: 2048 }]);
    expect(d.task.progress).toMatchObject({ current: 2048, total: 2048, text: "Status: Downloaded newer image for nginx:latest" });
    expect(d.lines).toContain("latest: Pulling from library/nginx");
    t.finish(undefined);
  });

  it("collects aux (a push's digest) and build output lines", async () => {
    const t = manualTask();
    await t.ready;
    const stream = new PassThrough();
    const followed = followDockerStream(stream, t.handle());
    stream.write(line({ stream: "Step 1/2 : FROM busybox\n" }));
    stream.write(line({ status: "Pushed", progressDetail: {}, id: "bbb" }));
    stream.end(line({ aux: { Tag: "latest", Digest: `sha256:${"b".repeat(64)}`, Size: 527 } }));
    const r = await followed;
    expect(r.aux).toEqual([{ Tag: "latest", Digest: `sha256:${"b".repeat(64)}`, Size: 527 }]);
    expect(taskDetail(t.id, 0)!.lines).toContain("Step 1/2 : FROM busybox");
    t.finish(undefined);
  });

  it("rejects with the engine's error from inside the stream, coded by its words", async () => {
    const t = manualTask();
    await t.ready;
    const stream = new PassThrough();
    const followed = followDockerStream(stream, t.handle());
    stream.end(line({ errorDetail: { message: "pull access denied for x, repository does not exist" }, error: "pull access denied" }));
    await expect(followed).rejects.toMatchObject({ error: { code: "NOT_FOUND", message: "pull access denied for x, repository does not exist" } });
    expect(streamFailure("unauthorized: authentication required").error.code).toBe("UNAUTHORIZED");
    expect(streamFailure("toomanyrequests: rate limit").error.code).toBe("BAD_REQUEST");
    t.finish(undefined);
  });

  it("closes the engine's stream when the task is cancelled", async () => {
    const t = manualTask();
    await t.ready;
    const stream = new PassThrough();
    const followed = followDockerStream(stream, t.handle());
    stream.write(line({ status: "Downloading", progressDetail: { current: 1, total: 10 }, id: "ccc" }));
    cancelTask(t.id);
    await expect(followed).rejects.toMatchObject({ error: { message: "cancelled" } });
    expect(stream.destroyed).toBe(true);
    t.fail(new Error("x"));
  });

  it("refuses a message over 1 MB without a line break instead of holding it", async () => {
    const t = manualTask();
    await t.ready;
    const stream = new PassThrough();
    const followed = followDockerStream(stream, t.handle());
    stream.write("x".repeat((1 << 20) + 10));
    await expect(followed).rejects.toThrow(/over 1 MB/);
    t.finish(undefined);
  });

  it("keeps a line that is not JSON as output instead of failing", async () => {
    const t = manualTask();
    await t.ready;
    const stream = new PassThrough();
    const followed = followDockerStream(stream, t.handle());
    stream.end("not json at all\n");
    await followed;
    expect(taskDetail(t.id, 0)!.lines).toEqual(["not json at all"]);
    t.finish(undefined);
  });
});

describe("tasks frames", () => {
  it("a detail frame as the channel sends it parses with the protocol's schema", async () => {
    const t = manualTask();
    await t.ready;
    t.handle().layer({ id: "a", status: "Downloading", current: 1, total: 2 });
    const d = taskDetail(t.id, 0)!;
    expect(tasksFrameSchema.parse({ type: "detail", ...d })).toMatchObject({ type: "detail", layers: [{ id: "a" }] });
    t.finish(undefined);
  });
});

describe("task registry listeners", () => {
  it("hear of a new task when it starts, before it reports anything", () => {
    let calls = 0;
    const stop = onTasksChange(() => calls++);
    const t = manualTask();
    expect(calls).toBe(1);
    expect(listTasks()[0]!.id).toBe(t.id);
    stop();
  });
});
