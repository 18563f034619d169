"use client";
/**
 * Build an image (`docker build`): a Dockerfile typed in the editor plus
 * uploaded files (sent as JSON, made into a tar by the dashboard), or an
 * uploaded tar context (piped through); tags, build args, target, no-cache,
 * pull. The build runs as a task: its output streams here line by line
 * (TaskProgress), and the built image opens from the link at the end.
 */
import Link from "next/link";
import { useState } from "react";
import { parseImageReference } from "~/runtime/run-spec/image-reference";
import { contextPathProblem } from "~/runtime/images/protocol";
import { Field } from "~/app/_components/field";
import { envPath } from "~/app/_lib/env-path";
import { formatBytes } from "~/app/_lib/format";
import { TaskProgress } from "../tasks/task-progress";
import { useTaskDetail } from "../tasks/use-tasks";
import { DockerfileEditor } from "./dockerfile-editor";
import { imagesUrl, upload, UploadError, type UploadProgress } from "./upload";

const EXAMPLE = 'FROM busybox\nCMD ["ls", "-a"]\n';
/** The editor's files go as base64 in one JSON body, which the dashboard caps at 8 MB. */
const MAX_EDITOR_FILES_BYTES = 5 << 20;

type Problems = Partial<Record<string, string>>;

/** `NAME=value` lines → an object; a problem names the line. */
export function parseBuildArgs(text: string): { args: Record<string, string>; problem?: string } {
  const args: Record<string, string> = {};
  const lines = text.split("\n");
  for (const [n, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { args, problem: `line ${n + 1}: "${name}" is not a build arg name (letters, digits and _, not starting with a digit)` };
    args[name] = eq < 0 ? "" : line.slice(eq + 1);
  }
  return { args };
}

export function parseTags(text: string): { tags: string[]; problem?: string } {
  const tags = text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
  for (const t of tags) {
    const r = parseImageReference(t);
    if (!r.ok) return { tags, problem: `${t}: ${r.error}` };
    if (r.ref.id || r.ref.digest) return { tags, problem: `${t}: give name[:tag]` };
  }
  return { tags };
}

const toBase64 = async (f: File) => {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

export function BuildForm({ env }: { env: string }) {
  const [source, setSource] = useState<"editor" | "tar">("editor");
  const [dockerfileText, setDockerfileText] = useState(EXAMPLE);
  const [files, setFiles] = useState<File[]>([]);
  const [context, setContext] = useState<File>();
  const [tagsText, setTagsText] = useState("");
  const [dockerfile, setDockerfile] = useState("Dockerfile");
  const [argsText, setArgsText] = useState("");
  const [target, setTarget] = useState("");
  const [noCache, setNoCache] = useState(false);
  const [pull, setPull] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress>();
  const [taskId, setTaskId] = useState<string>();
  const { task } = useTaskDetail(env, taskId);
  const builtId = task?.state === "succeeded" ? (task.result as { id?: string } | undefined)?.id : undefined;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const found: Problems = {};
    const { tags, problem: tagProblem } = parseTags(tagsText);
    if (tagProblem) found.tags = tagProblem;
    const { args, problem: argProblem } = parseBuildArgs(argsText);
    if (argProblem) found.buildArgs = argProblem;
    const dfProblem = contextPathProblem(dockerfile.trim() || "Dockerfile");
    if (dfProblem) found.dockerfile = `Dockerfile path: ${dfProblem}`;
    if (target && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) found.target = "a stage name: letters, digits, _ . -";
    if (source === "editor" && !dockerfileText.trim()) found.dockerfileText = "Write a Dockerfile";
    if (source === "tar" && !context) found.context = "Choose a tar file with the build context";
    const filesSize = files.reduce((n, f) => n + f.size, 0);
    if (source === "editor" && filesSize > MAX_EDITOR_FILES_BYTES) found.files = `The files add up to ${formatBytes(filesSize)}: at most ${formatBytes(MAX_EDITOR_FILES_BYTES)} from the editor; upload a tar context for more`;
    setProblems(found);
    if (Object.keys(found).length) return;

    setBusy(true);
    setTaskId(undefined);
    setProgress(undefined);
    try {
      const options = { tags, dockerfile: dockerfile.trim() || "Dockerfile", buildArgs: args, ...(target ? { target } : {}), noCache, pull };
      let sent;
      if (source === "editor") {
        const body = JSON.stringify({ ...options, dockerfileText, files: await Promise.all(files.map(async (f) => ({ path: f.name, contentBase64: await toBase64(f) }))) });
        sent = upload<{ taskId: string }>(imagesUrl(env, "build"), body, "application/json", setProgress);
      } else {
        const q = new URLSearchParams([...tags.map((t) => ["tags", t]), ["dockerfile", options.dockerfile], ["noCache", String(noCache)], ["pull", String(pull)]]);
        if (Object.keys(args).length) q.set("buildArgs", JSON.stringify(args));
        if (target) q.set("target", target);
        sent = upload<{ taskId: string }>(imagesUrl(env, "build", q), context!, "application/x-tar", setProgress);
      }
      const r = await sent.done;
      setTaskId(r.taskId);
    } catch (err) {
      const u = err instanceof UploadError ? err : new UploadError(String(err));
      const field = u.field?.split(/[.[]/)[0];
      setProblems({ [field && ["tags", "dockerfile", "buildArgs", "target", "files", "dockerfileText"].includes(field) ? field : "form"]: u.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="image-form" aria-label="Build image" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="rows">
        <legend>Build context</legend>
        <label className="check">
          <input type="radio" name="build-source" checked={source === "editor"} onChange={() => setSource("editor")} /> Dockerfile in the editor, plus files
        </label>
        <label className="check">
          <input type="radio" name="build-source" checked={source === "tar"} onChange={() => setSource("tar")} /> Upload a tar context
        </label>
      </fieldset>

      {source === "editor" ? (
        <>
          <div className="field">
            <span id="dockerfile-label">Dockerfile</span>
            <DockerfileEditor initial={dockerfileText} onChange={setDockerfileText} />
            {problems.dockerfileText && <small className="error">{problems.dockerfileText}</small>}
          </div>
          <div className="field">
            <label htmlFor="build-files">Files to add to the context</label>
            <input id="build-files" type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />
            <small className={problems.files ? "error" : "muted"}>
              {problems.files ?? (files.length ? `${files.length} file(s), ${formatBytes(files.reduce((n, f) => n + f.size, 0))}: COPY them by name` : "Each file goes at the top of the context, under its own name")}
            </small>
          </div>
        </>
      ) : (
        <div className="field">
          <label htmlFor="build-context">Context (tar)</label>
          <input id="build-context" type="file" accept=".tar,application/x-tar" onChange={(e) => setContext(e.target.files?.[0])} />
          {problems.context && <small className="error">{problems.context}</small>}
        </div>
      )}

      <div className="field">
        <label htmlFor="build-tags">Tags</label>
        <input id="build-tags" value={tagsText} onChange={(e) => setTagsText(e.target.value)} placeholder="web:1.0, web:latest" aria-invalid={problems.tags ? true : undefined} />
        <small className={problems.tags ? "error" : "muted"}>{problems.tags ?? "-t, several separated by commas or spaces"}</small>
      </div>
      <Field label="Dockerfile path" value={dockerfile} onChange={setDockerfile} hint="-f, inside the context" error={problems.dockerfile} />
      <div className="field">
        <label htmlFor="build-args">Build args</label>
        <textarea id="build-args" rows={3} value={argsText} onChange={(e) => setArgsText(e.target.value)} placeholder={"VERSION=1.0\nDEBUG=false"} aria-invalid={problems.buildArgs ? true : undefined} />
        <small className={problems.buildArgs ? "error" : "muted"}>{problems.buildArgs ?? "--build-arg, one NAME=value per line"}</small>
      </div>
      <Field label="Target" value={target} onChange={setTarget} hint="--target, a stage name" error={problems.target} />
      <label className="check">
        <input type="checkbox" checked={noCache} onChange={(e) => setNoCache(e.target.checked)} /> No cache (--no-cache)
      </label>
      <label className="check">
        <input type="checkbox" checked={pull} onChange={(e) => setPull(e.target.checked)} /> Always pull the base image (--pull)
      </label>
      {problems.form && <p role="alert" className="error">{problems.form}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || task?.state === "running"}>
          {busy ? "Uploading…" : "Build"}
        </button>
        {busy && progress && (
          <span className="muted small" aria-live="polite">
            Uploaded {formatBytes(progress.loaded)}
            {progress.total ? ` of ${formatBytes(progress.total)}` : ""}
          </span>
        )}
      </div>
      {taskId && <TaskProgress env={env} taskId={taskId} />}
      {builtId && (
        <p>
          <Link className="button primary" href={envPath(env, `/images/${encodeURIComponent(builtId)}`)}>
            Open the image
          </Link>
        </p>
      )}
    </form>
  );
}
