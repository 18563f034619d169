"use client";
/**
 * Template sources (Administrators): the lists of templates Berth reads besides
 * its own, by URL or by a file on the dashboard's host, in Portainer's v2 or v3
 * format; each with what reading it gave (ok, version, count, error). Add and
 * remove rows, then Save.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { TemplateSource, TemplateSourceStatus } from "~/server/templates/types";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

function StatusText({ s }: { s?: TemplateSourceStatus }) {
  if (!s) return <span className="muted small">not read yet</span>;
  if (!s.ok) return <span className="error small">{s.error ?? "cannot be read"}</span>;
  return (
    <span className="ok small" title={s.problems?.join("\n")}>
      ok, v{s.version}, {s.count} template{s.count === 1 ? "" : "s"}
      {s.problems?.length ? ` (${s.problems.length} left out)` : ""}
    </span>
  );
}

export function TemplateSources() {
  const trpc = useTRPC();
  const current = useQuery(trpc.templates.sources.queryOptions());
  const save = useMutation(trpc.templates.setSources.mutationOptions());
  const [rows, setRows] = useState<TemplateSource[]>([]);
  const [status, setStatus] = useState<TemplateSourceStatus[]>([]);
  useEffect(() => {
    if (current.data) {
      setRows(current.data.sources);
      setStatus(current.data.status);
    }
  }, [current.data]);
  const statusOf = (url: string) => status.find((s) => s.url === url);
  if (current.error) return <p role="alert" className="error">{errorMessage(current.error)}</p>;
  if (!current.data) return <p className="muted">Loading…</p>;
  return (
    <form
      aria-label="Template sources"
      onSubmit={(e) => {
        e.preventDefault();
        const sources = rows.filter((r) => r.url.trim()).map((r) => ({ url: r.url.trim(), ...(r.name?.trim() ? { name: r.name.trim() } : {}) }));
        save.mutate({ sources }, { onSuccess: (r) => (setRows(r.sources), setStatus(r.status)) });
      }}
    >
      <p className="small muted">
        Lists of app templates in Portainer&apos;s v2 or v3 format, by URL (http or https) or by the path of a file on the dashboard&apos;s host. The built-in list is always shown
        {current.data.builtin ? <> (<StatusText s={current.data.builtin} />)</> : null}.
      </p>
      <table className="table" aria-label="Template sources">
        <thead>
          <tr>
            <th>URL or file</th>
            <th>Name</th>
            <th>Status</th>
            <th><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">No template sources.</td>
            </tr>
          )}
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Source ${i + 1} URL`} value={r.url} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)))} size={50} maxLength={2048} />
              </td>
              <td>
                <input aria-label={`Source ${i + 1} name`} value={r.name ?? ""} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} size={16} maxLength={100} />
              </td>
              <td><StatusText s={statusOf(r.url.trim())} /></td>
              <td>
                <button type="button" aria-label={`Remove source ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" onClick={() => setRows([...rows, { url: "" }])}>
          Add source
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {save.isSuccess && !save.isPending && <span role="status" className="ok small">Saved</span>}
        {save.error && <span role="alert" className="error">{errorMessage(save.error)}</span>}
      </div>
    </form>
  );
}
