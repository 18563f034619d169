"use client";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { createPortal } from "react-dom";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { ActionDialog } from "~/app/_components/dialog";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { cli } from "./cli";

/** Per-row Start / Stop / Restart / Remove; each button's title is its docker CLI equivalent. */
export function ContainerActions({ c }: { c: ContainerSummary }) {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [force, setForce] = useState(false);
  const opts = { onError: (e: unknown) => setError(errorMessage(e)), onSuccess: () => setError(null) };
  const start = useMutation(trpc.containers.start.mutationOptions(opts));
  const stop = useMutation(trpc.containers.stop.mutationOptions(opts));
  const restart = useMutation(trpc.containers.restart.mutationOptions(opts));
  const remove = useMutation(
    trpc.containers.remove.mutationOptions({ ...opts, onSuccess: () => { setError(null); setConfirming(false); } }),
  );
  const busy = start.isPending || stop.isPending || restart.isPending || remove.isPending;
  const running = c.state === "running" || c.state === "restarting" || c.state === "paused";
  const names = [c.name];
  // Stable, so the dialog does not take focus back on every render.
  const closeRemove = useCallback(() => {
    setConfirming(false);
    setError(null);
  }, []);

  return (
    <div className="actions" aria-label={`Actions for ${c.name}`} role="group">
      {can("container.start") && (
        <button type="button" disabled={busy || running} onClick={() => start.mutate({ env, id: c.id })} title={cli.start(names)}>
          Start
        </button>
      )}
      {can("container.stop") && (
        <button type="button" disabled={busy || !running} onClick={() => stop.mutate({ env, id: c.id })} title={cli.stop(names)}>
          Stop
        </button>
      )}
      {can("container.restart") && (
        <button type="button" disabled={busy} onClick={() => restart.mutate({ env, id: c.id })} title={cli.restart(names)}>
          Restart
        </button>
      )}
      {can("container.remove") && (
        <button type="button" disabled={busy} className="danger" onClick={() => { setError(null); setForce(running); setConfirming(true); }} title={cli.remove(names, running)}>
          Remove
        </button>
      )}
      {/* On document.body: a row of a virtualised table may be positioned or transformed, which would trap the overlay. */}
      {confirming && createPortal(
        <ActionDialog label={`Remove ${c.name}`} cli={cli.remove(names, force)} onClose={closeRemove} submitLabel="Confirm remove" danger busy={remove.isPending} error={error}
          onSubmit={() => remove.mutate({ env, id: c.id, force })}>
          <p>
            Remove container <strong>{c.name}</strong>?
          </p>
          <label>
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (stop a running container first)
          </label>
          {running && !force && <p className="muted small">A running container can only be removed with Force.</p>}
        </ActionDialog>,
        document.body,
      )}
      {error && !confirming && <p role="alert" className="error small">{error}</p>}
    </div>
  );
}
