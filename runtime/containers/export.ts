/**
 * `GET /export/containers/<id>`: the container's filesystem as a tar, piped
 * from the engine to the caller as it comes (never held in memory or on disk).
 * Errors found before the first byte answer as JSON like any RPC; a failure
 * mid-stream can only cut the connection, which the browser shows as a failed
 * download.
 */
import type http from "node:http";
import type Docker from "dockerode";
import type { ContainerLookup } from "./actions";
import { toRuntimeError } from "../engine/errors";
import { EXPORT_PREFIX } from "./protocol";
import { containerIdSchema } from "../protocol/ids";
import { firstIssue } from "../protocol/zod-issues";

export function exportRoute(docker: Docker, lookup: ContainerLookup) {
  return async (_req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    let id: string;
    try {
      id = decodeURIComponent(url.pathname.slice(EXPORT_PREFIX.length));
    } catch {
      id = "%"; // a malformed escape: refused below as an id, like any other bad id
    }
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    const checked = containerIdSchema.safeParse(id);
    if (!checked.success) {
      return send(400, { ok: false, error: { code: "BAD_REQUEST", field: "id", message: firstIssue(checked.error, "id").message } });
    }
    const subject = `container ${lookup(id)?.name ?? id}`;
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await docker.getContainer(id).export()) as unknown as NodeJS.ReadableStream;
    } catch (err) {
      const error = toRuntimeError(err, subject);
      return send(error.code === "NOT_FOUND" ? 404 : error.code === "ENGINE_UNREACHABLE" ? 503 : 500, { ok: false, error });
    }
    res.writeHead(200, { "content-type": "application/x-tar" });
    const readable = stream as NodeJS.ReadableStream & { destroy?: () => void };
    // The caller went away: stop reading from the engine.
    res.on("close", () => readable.destroy?.());
    readable.on("error", () => res.destroy());
    readable.pipe(res);
  };
}
