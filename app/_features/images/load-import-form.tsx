"use client";
/**
 * Load (`docker load`: a tar made by `docker save`) and Import (`docker import`:
 * a filesystem tar, e.g. from `docker export`, with repository, tag, message and
 * changes such as `CMD ["sh"]`). The file is streamed to the engine through
 * Berth, with the upload's progress shown; the answer names what was created.
 */
import Link from "next/link";
import { useRef, useState } from "react";
import { IMPORT_CHANGE_INSTRUCTIONS } from "~/runtime/images/protocol";
import { repositoryError, tagError } from "~/runtime/run-spec/image-reference";
import { Field } from "~/app/_components/field";
import { envPath } from "~/app/_lib/env-path";
import { formatBytes } from "~/app/_lib/format";
import { imagesUrl, upload, UploadError, type UploadProgress } from "./upload";

type Result = { loaded?: string[]; ids?: string[]; id?: string; reference?: string };

export function LoadImportForm({ env, mode }: { env: string; mode: "load" | "import" }) {
  const [file, setFile] = useState<File>();
  const [repository, setRepository] = useState("");
  const [tag, setTag] = useState("");
  const [message, setMessage] = useState("");
  const [changes, setChanges] = useState("");
  const [problems, setProblems] = useState<Partial<Record<string, string>>>({});
  const [progress, setProgress] = useState<UploadProgress>();
  const [result, setResult] = useState<Result>();
  const [busy, setBusy] = useState(false);
  const abort = useRef<() => void>(undefined);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<string, string>> = {};
    if (!file) found.file = "Choose a tar file";
    const changeLines = changes.split("\n").map((l) => l.trim()).filter(Boolean);
    if (mode === "import") {
      if (repository && repositoryError(repository)) found.repository = repositoryError(repository);
      if (tag && tagError(tag)) found.tag = tagError(tag);
      if (tag && !repository) found.repository = "A tag needs a repository";
      const bad = changeLines.findIndex((l) => !(IMPORT_CHANGE_INSTRUCTIONS as readonly string[]).includes(l.split(/\s/, 1)[0]!.toUpperCase()));
      if (bad >= 0) found.changes = `line ${bad + 1}: docker import takes ${IMPORT_CHANGE_INSTRUCTIONS.join(", ")}`;
    }
    setProblems(found);
    if (Object.keys(found).length) return;
    const q = new URLSearchParams();
    if (mode === "import") {
      if (repository) q.set("repository", repository);
      if (tag) q.set("tag", tag);
      if (message) q.set("message", message);
      for (const c of changeLines) q.append("changes", c);
    }
    setBusy(true);
    setResult(undefined);
    try {
      const sent = upload<Result>(imagesUrl(env, mode, q), file!, "application/x-tar", setProgress);
      abort.current = sent.abort;
      setResult(await sent.done);
    } catch (err) {
      const u = err instanceof UploadError ? err : new UploadError(String(err));
      const field = u.field?.split(/[.[]/)[0];
      setProblems({ [field && ["repository", "tag", "message", "changes", "file"].includes(field) ? field : "form"]: u.message });
    } finally {
      setBusy(false);
      abort.current = undefined;
    }
  };

  const images = result ? [...(result.reference ? [result.reference] : []), ...(result.loaded ?? []), ...(!result.reference && result.id ? [result.id] : []), ...(result.ids ?? [])] : [];
  return (
    <form className="image-form" aria-label={mode === "load" ? "Load images" : "Import image"} onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor="image-file">{mode === "load" ? "Image archive (tar from docker save)" : "Filesystem archive (tar, e.g. from docker export)"}</label>
        <input id="image-file" type="file" accept=".tar,application/x-tar" onChange={(e) => setFile(e.target.files?.[0])} />
        {problems.file && <small className="error">{problems.file}</small>}
      </div>
      {mode === "import" && (
        <>
          <Field label="Repository" value={repository} onChange={setRepository} placeholder="me/app" error={problems.repository} />
          <Field label="Tag" value={tag} onChange={setTag} placeholder="latest" error={problems.tag} />
          <Field label="Message" value={message} onChange={setMessage} hint="-m, the commit message" error={problems.message} />
          <div className="field">
            <label htmlFor="import-changes">Changes</label>
            <textarea id="import-changes" rows={3} value={changes} onChange={(e) => setChanges(e.target.value)} placeholder={'CMD ["sh"]\nENV LANG=C.UTF-8'} />
            <small className={problems.changes ? "error" : "muted"}>{problems.changes ?? `--change, one instruction per line (${IMPORT_CHANGE_INSTRUCTIONS.join(", ")})`}</small>
          </div>
        </>
      )}
      <p className="cli-line">
        <span className="muted small">CLI equivalent</span>{" "}
        <code data-testid="cli">
          {mode === "load"
            ? `docker load -i ${file?.name ?? "FILE.tar"}`
            : `docker import${changes.split("\n").filter((l) => l.trim()).map((l) => ` --change '${l.trim()}'`).join("")}${message ? ` -m '${message}'` : ""} ${file?.name ?? "FILE.tar"}${repository ? ` ${repository}${tag ? `:${tag}` : ""}` : ""}`}
        </code>
      </p>
      {problems.form && <p role="alert" className="error">{problems.form}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Uploading…" : mode === "load" ? "Load" : "Import"}
        </button>
        {busy && <button type="button" onClick={() => abort.current?.()}>Cancel upload</button>}
        {progress && busy && (
          <>
            <progress aria-label="Upload progress" max={progress.total ?? 1} value={progress.total ? progress.loaded : undefined} />
            <span className="muted small">
              {formatBytes(progress.loaded)}
              {progress.total ? ` of ${formatBytes(progress.total)}` : ""}
            </span>
          </>
        )}
      </div>
      {result && (
        <div role="status" className="ok">
          {mode === "load" ? "Loaded" : "Imported"}:{" "}
          {images.length === 0
            ? "nothing new"
            : images.map((n, i) => (
                <span key={n}>
                  {i > 0 && ", "}
                  <Link href={envPath(env, `/images/${encodeURIComponent(n)}`)}>{n}</Link>
                </span>
              ))}
        </div>
      )}
    </form>
  );
}
