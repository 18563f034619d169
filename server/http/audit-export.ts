/**
 * `GET /api/audit/export?format=csv|json&user=&action=&target=&outcome=&from=&to=`:
 * the audit history matching the page's filters, streamed a batch at a time
 * (never the whole table in memory), with backpressure: a slow client slows the
 * reads, a client that goes away stops them. Administrators only (`audit.read`).
 * The export is itself an audit entry (action `audit.export`), written first:
 * no entry, no export.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuditWriteError, beginAudit, finishAudit } from "../audit";
import { csvLine } from "../audit-csv";
import { auditFilterSchema, EXPORT_COLUMNS, exportBatches, type AuditFilter } from "../audit-query";
import { clientIp } from "../api/trpc";
import { describeIssues, firstIssue } from "../../runtime/protocol/zod-issues";
import { downloadUser, sendError } from "./runtime-download";

export const AUDIT_EXPORT_ROUTE = "/api/audit/export";

const FORMATS = ["csv", "json"] as const;
type Format = (typeof FORMATS)[number];

function sendFieldError(res: ServerResponse, field: string, message: string) {
  res.writeHead(400, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ error: { code: "BAD_REQUEST", field, message } }));
}

/** The format and filters from the query string, or null once a 400 naming the field has been sent. */
function parseQuery(res: ServerResponse, query: URLSearchParams): { format: Format; filter: AuditFilter } | null {
  const known = new Set(["format", "user", "action", "target", "outcome", "from", "to"]);
  for (const key of query.keys()) {
    if (!known.has(key)) return (sendFieldError(res, key.slice(0, 64), `${key.slice(0, 64)}: unknown parameter (known: ${[...known].join(", ")})`), null);
    if (query.getAll(key).length > 1) return (sendFieldError(res, key, `${key}: given more than once`), null);
  }
  const format = query.get("format") ?? "csv";
  if (!(FORMATS as readonly string[]).includes(format)) return (sendFieldError(res, "format", `format: must be csv or json, not ${JSON.stringify(format.slice(0, 32))}`), null);
  const raw: Record<string, string> = {};
  for (const key of ["user", "action", "target", "outcome", "from", "to"]) {
    const v = query.get(key);
    if (v) raw[key] = v;
  }
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) return (sendFieldError(res, firstIssue(parsed.error).field ?? "", describeIssues(parsed.error)), null);
  return { format: format as Format, filter: parsed.data };
}

/** Waits until `res` wants more, or is gone (false). */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

const jsonRow = (row: Record<string, unknown>) => JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, row[c] ?? null])));

export async function handleAuditExport(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const user = await downloadUser(req, res, "audit.read", "Export");
  if (!user) return;
  const asked = parseQuery(res, query);
  if (!asked) return;
  const { format, filter } = asked;
  const ua = req.headers["user-agent"];
  let auditId: number;
  try {
    auditId = await beginAudit({
      userId: user.id,
      username: user.username,
      sourceIp: clientIp(req),
      userAgent: typeof ua === "string" ? ua : undefined,
      action: "audit.export",
      target: { type: "audit" },
      details: { format, ...filter },
    });
  } catch (err) {
    if (err instanceof AuditWriteError) return sendError(res, 503, err.message);
    throw err;
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  res.writeHead(200, {
    "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
    "Content-Disposition": `attachment; filename="berth-audit-${stamp}.${format}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  let rows = 0;
  let failure: string | undefined;
  let first = true;
  try {
    if (!res.write(format === "csv" ? csvLine(EXPORT_COLUMNS) : "[\n") && !(await drained(res))) failure = "the client went away";
    for await (const batch of exportBatches(filter, auditId)) {
      if (failure) break;
      let chunk = "";
      for (const row of batch) {
        const r = row as unknown as Record<string, unknown>;
        chunk += format === "csv" ? csvLine(EXPORT_COLUMNS.map((c) => r[c])) : `${first ? "" : ",\n"}${jsonRow(r)}`;
        first = false;
      }
      rows += batch.length;
      if (!res.write(chunk) && !(await drained(res))) failure = "the client went away";
    }
    if (!failure) res.end(format === "csv" ? "" : "\n]\n");
    else res.destroy();
  } catch (err) {
    failure = `reading the history failed: ${(err as Error).message}`;
    console.error("[audit] export failed:", err);
    res.destroy();
  }
  await finishAudit(auditId, {
    outcome: failure ? "error" : "ok",
    error: failure && `the export stopped after ${rows} entries: ${failure}`,
    details: { format, ...filter, rows },
  });
}
