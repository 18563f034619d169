/**
 * `/ws/exec?p=<json ExecParams>`: one interactive process (`docker exec -it`).
 * The exec is created with a TTY and the caller's size (ConsoleSize), started
 * hijacked, and resized again before any output is relayed, so the first prompt
 * is drawn at the caller's size. When the output ends the exit code (exec
 * inspect) is the last frame. When the caller goes away first, the process is
 * ended: closing the hijacked connection does not reliably end it (moby#9098).
 */
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { WebSocket } from "ws";
import { endExecProcess } from "./kill";
import { type ExecParams, execParamsSchema } from "./protocol";
import { relay, sendStatus } from "./relay";
import { runningContainer, terminalChannel } from "./terminal-channel";

export const execChannel = (docker: Docker) => terminalChannel(execParamsSchema, (ws, params, release) => startExec(docker, ws, params, release));

async function startExec(docker: Docker, ws: WebSocket, p: ExecParams, release: () => void): Promise<void> {
  const { container, info, name } = await runningContainer(docker, p.id, "open a console");
  const exec = await container.exec({
    Cmd: p.cmd,
    ...(p.user ? { User: p.user } : {}),
    ...(p.workdir ? { WorkingDir: p.workdir } : {}),
    ...(p.environment ? { Env: p.environment } : {}),
    Tty: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    ConsoleSize: [p.rows, p.cols],
  } as Docker.ExecCreateOptions);
  // The caller left while the exec was being created: nothing started, nothing to end.
  if (ws.readyState !== ws.OPEN) return;
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true, ConsoleSize: [p.rows, p.cols] } as Docker.ExecStartOptions)) as Duplex;
  // Not read until sized: whatever the process printed waits in the socket.
  stream.pause();
  await exec.resize({ h: p.rows, w: p.cols }).catch(() => undefined);
  if (ws.readyState !== ws.OPEN) {
    stream.destroy();
    return void endExecProcess(docker, exec, info.Id);
  }
  sendStatus(ws, { type: "started", execId: exec.id, containerId: info.Id, name, tty: true });
  relay(ws, {
    output: stream,
    input: stream,
    resize: async (cols, rows) => void (await exec.resize({ h: rows, w: cols })),
    ended: async () => ({ type: "exit", code: await exitCode(exec) }),
    abandoned: () => void endExecProcess(docker, exec, info.Id),
  });
  release();
}

/** The exit code once the engine has recorded it (it may say Running a moment after the stream ends). */
export async function exitCode(exec: Docker.Exec): Promise<number | null> {
  for (let i = 0; i < 20; i++) {
    const s = await exec.inspect();
    if (!s.Running) return s.ExitCode ?? null;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}
