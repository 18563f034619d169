/**
 * What the exec and attach channels share: reading their params, holding the
 * page's first keys while the process starts, answering a failure to start
 * with an error frame, and refusing a container that is not running.
 */
import type { IncomingMessage } from "node:http";
import type Docker from "dockerode";
import type { WebSocket } from "ws";
import type { z } from "zod";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import { channelParams } from "../protocol/query-params";
import { sendStatus } from "./relay";

/** Messages that arrive while the process is being started are kept (bounded) and handled once it runs. */
export function holdEarlyMessages(ws: WebSocket): () => void {
  const held: [Buffer, boolean][] = [];
  let bytes = 0;
  const keep = (data: Buffer, isBinary: boolean) => {
    bytes += data.length;
    if (bytes <= 1 << 20) held.push([data, isBinary]);
  };
  ws.on("message", keep);
  return () => {
    ws.off("message", keep);
    for (const [data, isBinary] of held) ws.emit("message", data, isBinary);
  };
}

/** A runtime channel that starts one process per socket; `start` calls `release` once input may flow. */
export function terminalChannel<S extends z.ZodType<{ id: string }>>(schema: S, start: (ws: WebSocket, params: z.output<S>, release: () => void) => Promise<void>) {
  return (ws: WebSocket, _req: IncomingMessage, url: URL): void => {
    const params = channelParams(ws, url, schema);
    if (!params) return;
    const release = holdEarlyMessages(ws);
    start(ws, params, release).catch((err: unknown) => {
      sendStatus(ws, { type: "error", ...toRuntimeError(err, `container ${params.id}`) });
      ws.close(1000);
    });
  };
}

/** The container and its name when it runs; otherwise a CONFLICT naming `id` that says what starting it allows (`toDo`). */
export async function runningContainer(docker: Docker, id: string, toDo: string) {
  const container = docker.getContainer(id);
  const info = await container.inspect();
  const name = info.Name.replace(/^\//, "");
  if (!info.State.Running) throw new RuntimeFailure({ code: "CONFLICT", message: `container ${name} is not running: start it to ${toDo}`, field: "id" });
  return { container, info, name };
}
