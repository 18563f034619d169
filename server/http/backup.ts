/**
 * Backup and restore over plain HTTP (files are not for tRPC):
 *
 * - `GET /api/backup[?history=1]` or `POST /api/backup` (form or JSON body:
 *   `password`, `history`): administrators (`backup.create`) download a backup,
 *   streamed as it is written; audited like any download (entry first, completed
 *   with the bytes sent). A password is only taken from a POST body, never the URL.
 * - `POST /api/setup/restore`: the archive as the raw body (at most 2 GB), the
 *   setup token in `X-Berth-Setup-Token`, the optional backup password in
 *   `X-Berth-Backup-Password` (URI-encoded). Only while no user exists
 *   (`setup.restore`, public, like creating the administrator): the upload goes
 *   to a temp file in the data directory, is proven whole, then restored
 *   (server/backup/restore.ts, "live").
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { clientIp } from "../api/trpc";
import { finishAudit, writeAudit } from "../audit";
import { sealUnsealed, serialised } from "../audit-chain";
import { adminExists, tokenMatches } from "../auth/setup";
import { createBackup } from "../backup/create";
import { BackupError, DECRYPT_FAILED } from "../backup/encryption";
import { restoreBackup, SETUP_DONE_RESTORE } from "../backup/restore";
import { databaseFile } from "../database-check";
import { seedLocalEnvironment } from "../engines/environments";
import { state } from "../state";
import { beginDownloadAudit, streamAudited } from "./download-audit";
import { downloadUser, sendError } from "./runtime-download";

export const BACKUP_ROUTE = "/api/backup";
export const RESTORE_ROUTE = "/api/setup/restore";
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const MAX_FORM_BYTES = 8 * 1024;
const PASSWORD_MAX = 1024;

const dataDir = () => path.resolve(process.env.BERTH_DATA_DIR ?? "./data");

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...extra });
  res.end(JSON.stringify(body));
}

function sendFieldError(res: ServerResponse, status: number, field: string | undefined, message: string, extra?: Record<string, string>) {
  sendJson(res, status, { error: { code: status === 413 ? "PAYLOAD_TOO_LARGE" : status === 403 ? "FORBIDDEN" : status === 409 ? "CONFLICT" : "BAD_REQUEST", field, message } }, extra);
}

async function readForm(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new BackupError(`request body too large (max ${MAX_FORM_BYTES / 1024} KB)`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const type = (req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (type === "application/json") {
    try {
      const v = JSON.parse(text || "{}") as unknown;
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // below
    }
    throw new BackupError("the body must be a JSON object");
  }
  if (type === "application/x-www-form-urlencoded" || type === "") return Object.fromEntries(new URLSearchParams(text));
  throw new BackupError(`unsupported content type ${JSON.stringify(type.slice(0, 64))}: send a form or JSON`);
}

const truthy = (v: unknown) => v === true || v === "1" || v === "on" || v === "true";

/** The backup's options from the request, or null once a 400 naming the field has been sent. */
async function backupOptions(req: IncomingMessage, res: ServerResponse): Promise<{ password?: string; includeHistory: boolean } | null> {
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  if (query.has("password")) return (sendFieldError(res, 400, "password", "password: send it in a POST body, never in the URL"), null);
  if (req.method !== "POST") return { includeHistory: truthy(query.get("history")) };
  let form: Record<string, unknown>;
  try {
    form = await readForm(req);
  } catch (err) {
    return (sendFieldError(res, 400, undefined, (err as Error).message), null);
  }
  const password = form.password ?? "";
  if (typeof password !== "string") return (sendFieldError(res, 400, "password", "password: must be text"), null);
  if (password.includes("\0")) return (sendFieldError(res, 400, "password", "password: must not contain NUL characters"), null);
  if (password.length > PASSWORD_MAX) return (sendFieldError(res, 400, "password", `password: at most ${PASSWORD_MAX} characters`), null);
  if (password && password.length < 8) return (sendFieldError(res, 400, "password", "password: at least 8 characters (or none, for an unencrypted backup)"), null);
  return { password: password || undefined, includeHistory: truthy(form.history ?? query.get("history")) };
}

export async function handleBackupDownload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await downloadUser(req, res, "backup.create", "Backup", ["GET", "POST"]);
  if (!user) return;
  const opts = await backupOptions(req, res);
  if (!opts) return;
  const details = { encrypted: !!opts.password, includeHistory: opts.includeHistory };
  const auditId = await beginDownloadAudit(req, res, user, "backup.create", { type: "backup", name: "Berth backup" }, details);
  if (auditId === null) return;
  const dir = dataDir();
  let backup;
  try {
    backup = await createBackup({ dataDir: dir, dbFile: databaseFile(dir), ...opts });
  } catch (err) {
    const message = `The backup could not be made: ${(err as Error).message}`;
    await finishAudit(auditId, { outcome: "error", error: message });
    return sendError(res, 500, message);
  }
  res.writeHead(200, {
    "Content-Type": opts.password ? "application/octet-stream" : "application/gzip",
    "Content-Disposition": `attachment; filename="${backup.fileName}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  streamAudited(backup.stream as unknown as IncomingMessage, res, auditId, { ...details, file: backup.fileName });
}

const g = globalThis as unknown as { __berthRestoring?: boolean };

/** Answers, then cuts a client still sending a body we will not read (after a moment, so the answer reaches it). */
function refuseUpload(req: IncomingMessage, res: ServerResponse, status: number, field: string | undefined, message: string) {
  sendFieldError(res, status, field, message, req.complete ? {} : { Connection: "close" });
  if (!req.complete) {
    req.resume();
    setTimeout(() => req.socket.destroy(), 500).unref();
  }
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

export async function handleRestoreUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") return refuseUpload(req, res, 405, undefined, "Restore uses POST, with the backup file as the body.");
  if (await adminExists()) return refuseUpload(req, res, 409, undefined, SETUP_DONE_RESTORE);
  const ip = clientIp(req);
  const token = header(req, "x-berth-setup-token").trim();
  if (!token) return refuseUpload(req, res, 400, "setupToken", "Setup token is required: it was printed by the start command.");
  if (!tokenMatches(token)) {
    await writeAudit({ action: "setup.restore", sourceIp: ip, outcome: "error", error: "wrong setup token", target: { type: "backup" } });
    return refuseUpload(req, res, 403, "setupToken", "The setup token is wrong. Use the token printed by the start command.");
  }
  let password: string | undefined;
  try {
    password = decodeURIComponent(header(req, "x-berth-backup-password")) || undefined;
  } catch {
    return refuseUpload(req, res, 400, "password", "Backup password: malformed encoding (send it URI-encoded).");
  }
  if (password && password.length > PASSWORD_MAX) return refuseUpload(req, res, 400, "password", `Backup password: at most ${PASSWORD_MAX} characters.`);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) return refuseUpload(req, res, 413, "file", `The backup file is too large (max ${MAX_UPLOAD_BYTES / 1024 ** 3} GB).`);
  if (g.__berthRestoring) return refuseUpload(req, res, 409, undefined, "A restore is already running.");
  g.__berthRestoring = true;

  const dir = dataDir();
  const upload = path.join(dir, `.restore-upload-${crypto.randomBytes(6).toString("hex")}`);
  const started = Date.now();
  // Gone before any answer is sent: whoever reads the answer may look at the data directory at once.
  const dropUpload = () => fs.rmSync(upload, { force: true });
  try {
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _e, done) {
        size += chunk.length;
        done(size > MAX_UPLOAD_BYTES ? new BackupError(`The backup file is too large (max ${MAX_UPLOAD_BYTES / 1024 ** 3} GB).`) : null, chunk);
      },
    });
    try {
      await pipeline(req, cap, fs.createWriteStream(upload, { mode: 0o600, flags: "wx" }));
    } catch (err) {
      dropUpload();
      if (err instanceof BackupError) return refuseUpload(req, res, 413, "file", err.message);
      throw err;
    }
    if (size === 0) return (dropUpload(), sendFieldError(res, 400, "file", "Choose a backup file: the upload was empty."));
    const result = await restoreBackup({ archive: upload, password, dataDir: dir, dbFile: databaseFile(dir), mode: "live", exclusive: serialised });
    dropUpload();
    state.adminExists = true;
    state.setupToken = undefined;
    // The restored local environment points at this machine's engine, as a start would set it.
    await seedLocalEnvironment(process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock");
    // Entries the backup caught mid-action (its own download among them) are sealed as interrupted, as a start does.
    await sealUnsealed();
    const m = result.manifest;
    await writeAudit({
      action: "backup.restore",
      sourceIp: ip,
      userAgent: header(req, "user-agent") || null,
      outcome: "ok",
      target: { type: "backup", name: `backup of ${m.createdAt}` },
      details: { via: "setup page", berthVersion: m.berthVersion, migration: m.migration, createdAt: m.createdAt, files: result.files, users: result.users, bytes: size, durationMs: Date.now() - started },
    });
    const notes: string[] = [];
    if (result.skippedHistory) notes.push("The backup's log and stats history was not restored here (restore it with the command line, Berth stopped).");
    if (result.environments > 1) notes.push("Restart Berth to connect the backup's other environments.");
    sendJson(res, 200, { ok: true, users: result.users, files: result.files, createdAt: m.createdAt, berthVersion: m.berthVersion, notes });
  } catch (err) {
    dropUpload();
    if (!(err instanceof BackupError)) {
      console.error("[berth] restore failed:", err);
      return sendFieldError(res, 500, undefined, `The restore failed: ${(err as Error).message}`);
    }
    const message = err.message;
    const field = message === DECRYPT_FAILED || message.includes("encrypted") ? "password" : message === SETUP_DONE_RESTORE ? undefined : "file";
    await writeAudit({ action: "setup.restore", sourceIp: ip, outcome: "error", error: message, target: { type: "backup" } });
    sendFieldError(res, message === SETUP_DONE_RESTORE ? 409 : 400, field, message === DECRYPT_FAILED ? "The backup could not be decrypted: wrong password or damaged backup." : message);
  } finally {
    dropUpload();
    g.__berthRestoring = false;
  }
}
