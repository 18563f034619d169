"use client";
/** Actions on the selected containers, with one result line per container. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { BulkAction } from "~/runtime/containers/types";
import { bulkItemText, type BulkItemResult } from "~/runtime/protocol/action-result";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import type { Permission } from "~/server/api/permissions";
import { bulkCli } from "./cli";

const BUTTONS: { action: BulkAction; label: string; permission: Permission }[] = [
  { action: "start", label: "Start", permission: "container.start" },
  { action: "stop", label: "Stop", permission: "container.stop" },
  { action: "kill", label: "Kill", permission: "container.kill" },
  { action: "restart", label: "Restart", permission: "container.restart" },
  { action: "pause", label: "Pause", permission: "container.pause" },
  { action: "unpause", label: "Resume", permission: "container.pause" },
  { action: "remove", label: "Remove", permission: "container.remove" },
];

export function BulkBar({ selected, onClear }: { selected: ContainerSummary[]; onClear: () => void }) {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const [results, setResults] = useState<{ action: BulkAction; items: BulkItemResult[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const bulk = useMutation(
    trpc.containers.bulk.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      onSuccess: (r) => {
        setError(null);
        setResults({ action: r.action, items: r.results });
      },
    }),
  );
  const names = selected.map((c) => c.name);
  const run = (action: BulkAction) => {
    setConfirmRemove(false);
    bulk.mutate({ env, action, ids: selected.map((c) => c.id), ...(action === "remove" ? { force: true } : {}) });
  };

  return (
    <div className="bulk">
      {selected.length > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span>{selected.length} selected</span>
          {BUTTONS.filter((b) => can(b.permission)).map((b) => (
            <button
              key={b.action}
              type="button"
              className={b.action === "remove" || b.action === "kill" ? "danger" : undefined}
              disabled={bulk.isPending}
              title={bulkCli(b.action, names)}
              onClick={() => (b.action === "remove" ? setConfirmRemove(true) : run(b.action))}
            >
              {b.label}
            </button>
          ))}
          <button type="button" onClick={onClear}>Clear selection</button>
        </div>
      )}
      {confirmRemove && (
        <div role="dialog" aria-label="Remove the selected containers" className="confirm-inline">
          <p>Remove {selected.length} containers, stopping the running ones?</p>
          <code className="small">{bulkCli("remove", names)}</code>
          <div className="row">
            <button type="button" className="danger" onClick={() => run("remove")}>Confirm remove</button>
            <button type="button" onClick={() => setConfirmRemove(false)}>Cancel</button>
          </div>
        </div>
      )}
      {error && <p role="alert" className="error small">{error}</p>}
      {results && (
        <div className="bulk-results" role="status" aria-label="Bulk results">
          <p className="small">
            <strong>{results.action}</strong>: {results.items.filter((r) => r.ok).length} of {results.items.length} done{" "}
            <button type="button" className="link" onClick={() => setResults(null)}>Dismiss</button>
          </p>
          <ul className="plain">
            {results.items.map((r) => (
              <li key={r.id} data-result={r.name ?? r.id} className={r.ok ? "ok" : "error"}>
                {r.name ?? r.id.slice(0, 12)}: {bulkItemText(r)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
