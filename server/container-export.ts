/**
 * `GET /api/containers/<id>/export`: the container's filesystem as a tar
 * download. A plain HTTP route (not tRPC) so the browser can stream it to disk;
 * it applies the same rules as a procedure: session, permission, audit row.
 * The bytes are piped from the runtime as they come, never buffered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RuntimeError } from "../runtime/protocol";
import { writeAudit } from "./audit";
import { sessionUser } from "./auth/session";
import { roleAllows } from "./permissions";
import { runtime } from "./runtime";
import { clientIp } from "./trpc";
import { containerList } from "./ws/hub";

export const EXPORT_ROUTE = /^\/api\/containers\/([^/]+)\/export$/;

function sendError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(message);
}

export async function handleContainerExport(req: IncomingMessage, res: ServerResponse, rawId: string): Promise<void> {
  if (req.method !== "GET") return sendError(res, 405, "Export uses GET.");
  const user = await sessionUser(req);
  if (!user) return sendError(res, 401, "Sign in first.");
  if (!roleAllows(user.role, "container.export")) return sendError(res, 403, "Your role may not container.export.");

  const id = decodeURIComponent(rawId);
  const known = containerList().find((c) => c.id === id || c.name === id);
  const name = known?.name ?? id;
  const audit = (outcome: "ok" | "error", error?: string) =>
    writeAudit({
      userId: user.id,
      username: user.username,
      sourceIp: clientIp(req),
      action: "container.export",
      target: { engine: "local", type: "container", id: known?.id ?? id, name },
      outcome,
      error,
      details: { id },
    });

  let upstream: IncomingMessage;
  try {
    upstream = await runtime().get(`/export/containers/${encodeURIComponent(id)}`);
  } catch (err) {
    await audit("error", (err as Error).message);
    return sendError(res, 503, (err as Error).message);
  }
  if (upstream.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const c of upstream) chunks.push(c as Buffer);
    let message = `export failed (runtime answered HTTP ${upstream.statusCode})`;
    try {
      message = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error: RuntimeError }).error.message;
    } catch {
      // keep the generic message
    }
    await audit("error", message);
    return sendError(res, upstream.statusCode ?? 500, message);
  }

  await audit("ok");
  const filename = `${name.replace(/[^a-zA-Z0-9_.-]/g, "_")}.tar`;
  res.writeHead(200, {
    "Content-Type": "application/x-tar",
    "Content-Disposition": `attachment; filename=${filename}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  // The browser cancelled: stop the runtime (and so the engine) from sending more.
  res.on("close", () => upstream.destroy());
  upstream.on("error", () => res.destroy());
  upstream.pipe(res);
}
