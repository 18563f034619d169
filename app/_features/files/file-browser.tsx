"use client";
/**
 * Browsing files of a container (the Files tab, `docker cp`) or of a volume
 * (through a helper container the runtime manages): a breadcrumb, the folder's
 * entries, click a folder to enter it, Download (a file as itself, a folder as a
 * tar), Upload (with progress), and for volumes New folder, Rename and Delete.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FileEntry } from "~/runtime/files/protocol";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { formatBytes } from "~/app/_lib/format";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCanIn } from "~/app/_lib/use-can";
import { upload, type UploadProgress } from "~/app/_features/images/upload";
import { filesUrl, joinPath, modeString, parentOf, shellQuote } from "./paths";

export type BrowserTarget = { kind: "container"; id: string; name: string } | { kind: "volume"; id: string; name: string };

type Dialog = { kind: "mkdir" } | { kind: "rename"; entry: FileEntry } | { kind: "delete"; entry: FileEntry } | null;

export function FileBrowser({ env, target, initialPath = "/" }: { env: string; target: BrowserTarget; initialPath?: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const can = useCanIn(env);
  const [path, setPath] = useState(initialPath);
  const [typed, setTyped] = useState(initialPath);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [progress, setProgress] = useState<UploadProgress & { name: string } | null>(null);
  const [uploadResult, setUploadResult] = useState<{ ok: boolean; message: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const isVolume = target.kind === "volume";
  const listOptions = isVolume ? trpc.files.volumeList.queryOptions({ env, id: target.id, path }) : trpc.files.containerList.queryOptions({ env, id: target.id, path });
  const list = useQuery({ ...listOptions, retry: false });
  const canWrite = can(isVolume ? "volume.files.write" : "container.files.write");
  const refresh = () => qc.invalidateQueries({ queryKey: listOptions.queryKey });

  const go = (p: string) => {
    setPath(p);
    setTyped(p);
    setUploadResult(null);
  };
  const shownPath = list.data?.path ?? path;

  const onFile = async (file: File) => {
    setUploadResult(null);
    setProgress({ name: file.name, loaded: 0, total: file.size });
    const url = filesUrl(env, target, { path: shownPath, name: file.name });
    try {
      await upload<{ path: string; bytes: number }>(url, file, "application/octet-stream", (p) => setProgress({ name: file.name, ...p })).done;
      setUploadResult({ ok: true, message: `Uploaded ${file.name} (${formatBytes(file.size)}) to ${shownPath}` });
      await refresh();
    } catch (err) {
      setUploadResult({ ok: false, message: `Upload of ${file.name} failed: ${(err as Error).message}` });
    } finally {
      setProgress(null);
      if (fileInput.current) fileInput.current.value = "";
    }
  };

  const crumbs = shownPath === "/" ? [] : shownPath.slice(1).split("/");
  const cliFor = (p: string) => (isVolume ? `docker run --rm -v ${target.name}:/volume busybox ls -la ${shellQuote(`/volume${p === "/" ? "" : p}`)}` : `docker cp ${target.name}:${shellQuote(p)} -`);

  return (
    <section aria-label={isVolume ? `Files of volume ${target.name}` : `Files of container ${target.name}`} className="file-browser">
      <nav aria-label="Path" className="breadcrumb row">
        <button type="button" className="link" onClick={() => go("/")} aria-current={crumbs.length === 0 ? "location" : undefined}>
          {isVolume ? target.name : "/"}
        </button>
        {crumbs.map((c, i) => {
          const p = `/${crumbs.slice(0, i + 1).join("/")}`;
          return (
            <span key={p}>
              <span className="muted"> / </span>
              <button type="button" className="link" onClick={() => go(p)} aria-current={i === crumbs.length - 1 ? "location" : undefined}>
                {c}
              </button>
            </span>
          );
        })}
      </nav>

      <div className="row spread">
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            go(typed.trim() === "" ? "/" : typed.trim().startsWith("/") ? typed.trim() : joinPath(shownPath, typed.trim()));
          }}
        >
          <label htmlFor="files-path">Path</label>
          <input id="files-path" value={typed} onChange={(e) => setTyped(e.target.value)} spellCheck={false} />
          <button type="submit">Open</button>
          {shownPath !== "/" && (
            <button type="button" onClick={() => go(parentOf(shownPath))}>
              Up
            </button>
          )}
          <button type="button" onClick={() => void refresh()}>
            Refresh
          </button>
        </form>
        <div className="row">
          <a className="button-link" href={filesUrl(env, target, { path: shownPath })} download aria-label="Download folder">
            Download folder
          </a>
          {canWrite && (
            <>
              <input
                ref={fileInput}
                type="file"
                aria-label="Upload file"
                title={`Upload a file into ${shownPath}`}
                disabled={progress !== null}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void onFile(f);
                }}
              />
            </>
          )}
          {canWrite && isVolume && (
            <button type="button" onClick={() => setDialog({ kind: "mkdir" })}>
              New folder
            </button>
          )}
        </div>
      </div>
      <code className="muted small" data-testid="files-cli">{cliFor(shownPath)}</code>

      {progress && (
        <p className="row" role="status">
          Uploading {progress.name}… <progress aria-label="Upload progress" max={progress.total ?? 1} value={progress.loaded} /> {formatBytes(progress.loaded)}
          {progress.total ? ` of ${formatBytes(progress.total)}` : ""}
        </p>
      )}
      {uploadResult && (
        <p role={uploadResult.ok ? "status" : "alert"} className={uploadResult.ok ? "muted" : "error"}>
          {uploadResult.message}
        </p>
      )}

      {list.error ? (
        <p role="alert" className="error">{errorMessage(list.error)}</p>
      ) : !list.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          {list.data.truncated && <p className="muted small" role="status">{list.data.note}</p>}
          <table className="table" aria-label="Files">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Modified</th>
                <th scope="col">Mode</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.entries.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">This folder is empty.</td>
                </tr>
              )}
              {list.data.entries.map((e) => {
                const p = joinPath(list.data.path, e.name);
                const enterable = e.type === "dir" || e.type === "symlink";
                return (
                  <tr key={e.name}>
                    <td>
                      {enterable ? (
                        <button type="button" className="link" onClick={() => go(p)} aria-label={`Open ${e.name}`}>
                          {e.name}
                          {e.type === "dir" ? "/" : ""}
                        </button>
                      ) : (
                        <span>{e.name}</span>
                      )}
                      {e.target !== undefined && <span className="muted small"> → {e.target}</span>}
                    </td>
                    <td>{e.type === "dir" ? "folder" : e.type}</td>
                    <td>{e.type === "file" ? formatBytes(e.size) : ""}</td>
                    <td>
                      <time dateTime={e.mtime}>{new Date(e.mtime).toLocaleString()}</time>
                    </td>
                    <td>
                      <code className="small">{modeString(e.type, e.mode)}</code>
                    </td>
                    <td className="row">
                      <a href={filesUrl(env, target, e.type === "dir" ? { path: p } : { path: p, file: true })} download aria-label={`Download ${e.name}`}>
                        Download
                      </a>
                      {canWrite && isVolume && (
                        <>
                          <button type="button" className="link" onClick={() => setDialog({ kind: "rename", entry: e })} aria-label={`Rename ${e.name}`}>
                            Rename
                          </button>
                          <button type="button" className="link" onClick={() => setDialog({ kind: "delete", entry: e })} aria-label={`Delete ${e.name}`}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}

      {dialog && isVolume && <VolumeDialog env={env} volume={target.id} dir={shownPath} dialog={dialog} onClose={() => setDialog(null)} onDone={refresh} />}
    </section>
  );
}

function VolumeDialog({ env, volume, dir, dialog, onClose, onDone }: { env: string; volume: string; dir: string; dialog: NonNullable<Dialog>; onClose: () => void; onDone: () => Promise<void> }) {
  const trpc = useTRPC();
  const [name, setName] = useState(dialog.kind === "rename" ? dialog.entry.name : "");
  const [error, setError] = useState<string | null>(null);
  const options = {
    onError: (e: unknown) => setError(errorMessage(e)),
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  };
  const mkdir = useMutation(trpc.files.volumeMkdir.mutationOptions(options));
  const rename = useMutation(trpc.files.volumeRename.mutationOptions(options));
  const remove = useMutation(trpc.files.volumeDelete.mutationOptions(options));
  const busy = mkdir.isPending || rename.isPending || remove.isPending;
  const nameProblem = name.trim() === "" ? "Name is required" : name.includes("/") || name === "." || name === ".." ? "A name, without /" : undefined;

  if (dialog.kind === "delete") {
    const p = joinPath(dir, dialog.entry.name);
    return (
      <ActionDialog label={`Delete ${dialog.entry.name}`} cli={`docker run --rm -v ${volume}:/volume busybox rm -rf ${shellQuote(`/volume${p}`)}`} onClose={onClose} onSubmit={() => remove.mutate({ env, id: volume, path: p })} submitLabel="Delete" busy={busy} error={error} danger>
        <p>
          Delete {dialog.entry.type === "dir" ? "the folder" : ""} <code>{p}</code>
          {dialog.entry.type === "dir" ? " and everything in it" : ""} from volume {volume}? This cannot be undone.
        </p>
      </ActionDialog>
    );
  }
  if (dialog.kind === "rename") {
    const from = joinPath(dir, dialog.entry.name);
    const to = joinPath(dir, name.trim());
    return (
      <ActionDialog label={`Rename ${dialog.entry.name}`} cli={`docker run --rm -v ${volume}:/volume busybox mv ${shellQuote(`/volume${from}`)} ${shellQuote(`/volume${to}`)}`} onClose={onClose} onSubmit={() => !nameProblem && rename.mutate({ env, id: volume, path: from, to })} submitLabel="Rename" busy={busy} error={error}>
        <Field label="New name" value={name} onChange={setName} error={name !== dialog.entry.name ? nameProblem : undefined} />
      </ActionDialog>
    );
  }
  const p = joinPath(dir, name.trim());
  return (
    <ActionDialog label="New folder" cli={`docker run --rm -v ${volume}:/volume busybox mkdir -p ${shellQuote(`/volume${p}`)}`} onClose={onClose} onSubmit={() => !nameProblem && mkdir.mutate({ env, id: volume, path: p })} submitLabel="Create" busy={busy} error={error}>
      <Field label="Folder name" value={name} onChange={setName} error={name !== "" ? nameProblem : undefined} />
    </ActionDialog>
  );
}
