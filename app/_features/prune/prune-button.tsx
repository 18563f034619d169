"use client";
/**
 * The Prune button of a list page (images, volumes, networks, containers, build
 * cache) and of the engine page (system): opens a preview of exactly what would
 * be removed and the space reclaimed, then removes those items by id, and
 * shows what happened to each (removed, or skipped with the reason).
 * Shown only to who may prune (system.prune); the server decides every call.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useCanIn } from "~/app/_lib/use-can";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import type { PruneOptions } from "~/runtime/system/protocol";
import type { PruneKind } from "./prune-kind";
import { PruneOptionsFields, pruneCli } from "./prune-options";
import { PrunePreviewTable, PruneResultsTable } from "./prune-tables";

export type { PruneKind } from "./prune-kind";

/** The button's words, as Docker says them. */
export const PRUNE_LABELS: Record<PruneKind, string> = {
  images: "Prune unused images",
  volumes: "Prune unused volumes",
  networks: "Prune unused networks",
  containers: "Remove stopped containers",
  "build-cache": "Prune build cache",
  system: "System prune",
};

/** tRPC's key of a preview query: `[["system", "prunePreview"], …]`. */
const isPreviewKey = (key: readonly unknown[]) => Array.isArray(key[0]) && key[0][0] === "system" && key[0][1] === "prunePreview";

const DEFAULT_OPTIONS: PruneOptions = { images: "dangling", volumes: "anonymous", buildCache: "dangling", includeVolumes: false };

export function PruneButton({ env, kind }: { env: string; kind: PruneKind }) {
  const can = useCanIn(env);
  const [open, setOpen] = useState(false);
  if (!can("system.prune")) return null;
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        {PRUNE_LABELS[kind]}
      </button>
      {open && <PruneDialog env={env} kind={kind} onClose={() => setOpen(false)} />}
    </>
  );
}

function PruneDialog({ env, kind, onClose }: { env: string; kind: PruneKind; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [options, setOptions] = useState<PruneOptions>(DEFAULT_OPTIONS);
  /** The options the shown preview was asked with (changing the options asks for a new preview). */
  const [asked, setAsked] = useState<PruneOptions | null>(null);
  const preview = useQuery({
    ...trpc.system.prunePreview.queryOptions({ env, kind, options: asked ?? options }, { staleTime: Infinity, gcTime: 0 }),
    enabled: asked !== null,
  });
  const confirm = useMutation(
    trpc.system.pruneConfirm.mutationOptions({
      // Every list of the environment may have changed; the preview shown stays as it was asked.
      onSettled: () => void qc.invalidateQueries({ predicate: (q) => !isPreviewKey(q.queryKey) }),
    }),
  );
  const label = PRUNE_LABELS[kind];
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // Once, when it opens: focus its first control; Escape closes it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && closeRef.current();
    window.addEventListener("keydown", onKey);
    ref.current?.querySelector<HTMLElement>("input, button")?.focus();
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const items = preview.data?.items ?? [];
  const changeOptions = (next: PruneOptions) => {
    setOptions(next);
    setAsked(null);
    confirm.reset();
  };
  const askPreview = () => {
    confirm.reset();
    // The same question again is a fresh look at the engine, never a remembered answer.
    if (asked === options) void preview.refetch();
    else setAsked(options);
  };

  return (
    <div className="overlay">
      <div ref={ref} role="dialog" aria-modal="true" aria-label={label} className="dialog prune-dialog">
        <h2>{label}</h2>
        <PruneOptionsFields kind={kind} options={options} onChange={changeOptions} disabled={confirm.isPending} />
        <div className="cli-line">
          <span className="muted small">CLI equivalent (Berth removes exactly the previewed items, by id)</span>
          <code data-testid="cli">{pruneCli(kind, options)}</code>
        </div>
        {!confirm.data && (
          <div className="row">
            <button type="button" className="primary" onClick={askPreview} disabled={preview.isFetching || confirm.isPending}>
              {preview.isFetching ? "Previewing…" : asked ? "Preview again" : "Preview"}
            </button>
          </div>
        )}
        {preview.error && (
          <p role="alert" className="error small">
            {errorMessage(preview.error)}
          </p>
        )}
        {preview.data && !confirm.data && <PrunePreviewTable preview={preview.data} />}
        {preview.data && !confirm.data && items.length > 0 && (
          <div className="row">
            <button type="button" className="danger" disabled={confirm.isPending || preview.isFetching} onClick={() => confirm.mutate({ env, kind, options: preview.data.options, items: items.map((i) => ({ type: i.type, id: i.id })) })}>
              {confirm.isPending ? "Removing…" : `Remove ${items.length} item${items.length === 1 ? "" : "s"}`}
            </button>
          </div>
        )}
        {confirm.error && (
          <p role="alert" className="error small">
            {errorMessage(confirm.error)}
          </p>
        )}
        {confirm.data && <PruneResultsTable result={confirm.data} />}
        <div className="row">
          <button type="button" onClick={onClose}>
            {confirm.data ? "Close" : "Cancel"}
          </button>
        </div>
      </div>
    </div>
  );
}
