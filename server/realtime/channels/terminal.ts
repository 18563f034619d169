/**
 * What the `exec` and `attach` channels share: a terminal relayed between the
 * page (binary frames for bytes, `control` messages for resize/pause/resume)
 * and its runtime stream (`/ws/exec`, `/ws/attach`), recorded in the audit.
 *
 * Audit first: the session's row is written (outcome "pending") before the
 * runtime is asked for anything; when it cannot be written the terminal is
 * refused. When the session ends the row gets who, the container (full id and
 * name), the command, user, start, end, duration, bytes in and out, and the
 * exit code. A row left "pending" is a session whose end was never recorded.
 *
 * Backpressure: the hub's pause (the page's socket is full) and the page's own
 * `pause` (its terminal has not drawn what it got) both stop the runtime stream:
 * the first by not reading it, the second by telling the runtime, which stops
 * reading the engine; the process then blocks on its own output.
 */
import { AuditWriteError, beginAudit, finishAudit } from "../../audit";
import { type CastRecorder, recordingEnabled, startRecording } from "../../console-recording";
import type { TerminalControl, TerminalFrame } from "../../../runtime/exec/protocol";
import type { ChannelContext, ChannelStream } from "./channel";

type TerminalChannel = "exec" | "attach";

export function openTerminal<C extends TerminalChannel>(
  ctx: ChannelContext<C>,
  opts: { channel: C; action: "container.exec" | "container.attach"; describe: Record<string, unknown> },
): ChannelStream {
  const params = ctx.params as { id: string };
  const known = ctx.conn.live.find(params.id);
  const startedAt = new Date();
  let bytesIn = 0;
  let bytesOut = 0;
  let exitCode: number | null = null;
  let error: string | undefined;
  let target = { env: ctx.env, type: "container", id: known?.id ?? params.id, name: known?.name ?? params.id };
  let execId: string | undefined;
  let closed = false;
  let paused = false;
  let stream: ReturnType<typeof ctx.conn.runtime.stream> | undefined;
  let auditId: number | undefined;
  let recorder: CastRecorder | undefined;
  let recording: string | undefined;
  // What the page sent while the audit row was being written: sent once the runtime stream is opened.
  const early: [Buffer | string, boolean][] = [];
  const toRuntime = (data: Buffer | string, binary: boolean) => {
    if (stream) stream.send(data, binary);
    else if (early.length < 256) early.push([data, binary]);
  };

  const finish = () => {
    if (auditId === undefined) return;
    const endedAt = new Date();
    const id = auditId;
    auditId = undefined;
    recorder?.close();
    recorder = undefined;
    void finishAudit(id, {
      outcome: error ? "error" : "ok",
      error,
      target,
      details: {
        ...opts.describe,
        ...(execId ? { execId } : {}),
        ...(recording ? { recording } : {}),
        start: startedAt.toISOString(),
        end: endedAt.toISOString(),
        durationMs: endedAt.getTime() - startedAt.getTime(),
        bytesIn,
        bytesOut,
        exitCode,
      },
    });
  };

  const onFrame = (json: Buffer) => {
    try {
      const frame = JSON.parse(json.toString("utf8")) as TerminalFrame;
      if (frame.type === "started") {
        target = { ...target, id: frame.containerId, name: frame.name };
        execId = frame.execId;
      } else if (frame.type === "exit") exitCode = frame.code;
      else if (frame.type === "error") error = frame.message;
    } catch {
      // The runtime's frames are JSON; a broken one is passed on for the page to refuse.
    }
    ctx.sendJson(json);
  };

  const open = () => {
    stream = ctx.conn.runtime.stream(opts.channel, ctx.params, {
      onFrame,
      onBinary: (data) => {
        bytesOut += data.length;
        recorder?.output(data);
        ctx.sendBinary(data);
      },
      onClose: (detail) => {
        if (detail && !error) error = detail;
        finish();
        ctx.close(detail);
      },
    });
    if (paused) stream.pause();
    for (const [data, binary] of early.splice(0)) stream.send(data, binary);
  };

  const begin = async () => {
    let id: number;
    try {
      id = await beginAudit({
        userId: ctx.user.id,
        username: ctx.user.username,
        sourceIp: ctx.sourceIp,
        action: opts.action,
        target,
        details: { ...opts.describe, start: startedAt.toISOString() },
      });
    } catch (err) {
      const message = err instanceof AuditWriteError ? err.message : "The terminal was not opened: its audit record could not be written.";
      ctx.sendJson(JSON.stringify({ type: "error", code: "INTERNAL", message } satisfies TerminalFrame));
      return ctx.close();
    }
    auditId = id;
    // The setting is read per session: turning it on or off applies to the next one.
    if (!closed && (await recordingEnabled(ctx.env).catch(() => false)) && !closed) {
      const p = ctx.params as { cols: number; rows: number; cmd?: string[] };
      try {
        recorder = startRecording(id, { cols: p.cols, rows: p.rows, command: (p.cmd ?? ["attach"]).join(" "), title: target.name });
        recording = `${id}.cast`;
      } catch (err) {
        console.error(`[console] could not start recording ${id}: ${(err as Error).message}`);
      }
    }
    // Closed while the row was being written: the session never began.
    if (closed) {
      error = "closed before it started";
      return finish();
    }
    open();
  };
  void begin();

  return {
    close() {
      closed = true;
      stream?.close();
      // The runtime's close comes later (or never, for a socket still connecting): the row is finished now.
      finish();
    },
    pause() {
      paused = true;
      stream?.pause();
    },
    resume() {
      paused = false;
      stream?.resume();
    },
    onInput(data) {
      bytesIn += data.length;
      toRuntime(data, true);
    },
    onControl(data) {
      const c = data as TerminalControl;
      if (c.type === "resize") recorder?.resize(c.cols, c.rows);
      toRuntime(JSON.stringify(data as TerminalControl), false);
    },
  };
}
