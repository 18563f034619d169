/**
 * `/ws/attach?p=<json AttachParams>`: the container's main process (`docker
 * attach`). Its stream is demultiplexed only when the container has no TTY
 * (stdout and stderr then both go out as terminal bytes). Detaching is closing
 * the socket: the hijacked connection is dropped and nothing is sent to the
 * process (no Ctrl-C, no EOF on purpose), so the container keeps running.
 */
import { PassThrough, type Duplex } from "node:stream";
import type Docker from "dockerode";
import type { WebSocket } from "ws";
import { type AttachParams, attachParamsSchema } from "./protocol";
import { relay, sendStatus } from "./relay";
import { runningContainer, terminalChannel } from "./terminal-channel";

export const attachChannel = (docker: Docker) => terminalChannel(attachParamsSchema, (ws, params, release) => startAttach(docker, ws, params, release));

async function startAttach(docker: Docker, ws: WebSocket, p: AttachParams, release: () => void): Promise<void> {
  const { container, info, name } = await runningContainer(docker, p.id, "attach");
  const tty = Boolean(info.Config.Tty);
  const stdin = Boolean(info.Config.OpenStdin);
  const stream = (await container.attach({ stream: true, stdin, stdout: true, stderr: true, hijack: true })) as Duplex;
  if (ws.readyState !== ws.OPEN) return void stream.destroy();
  let output: Duplex | PassThrough = stream;
  if (!tty) {
    // Multiplexed (8-byte headers per chunk) only without a TTY.
    const merged = new PassThrough();
    docker.modem.demuxStream(stream, merged, merged);
    stream.on("end", () => merged.end());
    stream.on("close", () => merged.end());
    stream.on("error", (err) => merged.destroy(err));
    merged.on("close", () => stream.destroy());
    // demuxStream writes whatever it reads: pausing the merged output must pause the engine's stream itself.
    merged.on("pause", () => stream.pause());
    merged.on("resume", () => stream.resume());
    output = merged;
  } else {
    stream.pause();
    await container.resize({ h: p.rows, w: p.cols }).catch(() => undefined);
  }
  sendStatus(ws, { type: "started", containerId: info.Id, name, tty });
  relay(ws, {
    output,
    input: stream,
    resize: async (cols, rows) => {
      if (tty) await container.resize({ h: rows, w: cols });
    },
    ended: async () => {
      const s = await container.inspect();
      return { type: "exit", code: s.State.Running ? null : s.State.ExitCode, running: s.State.Running };
    },
    // Detach: the connection is already dropped by the relay; the container is left as it is.
    abandoned: () => undefined,
  });
  release();
}
