"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ContainerSummary } from "../../../runtime/protocol/index";
import { errorMessage, useTRPC } from "../../_lib/trpc";

/** Per-row Start / Stop / Restart / Remove; each button's title is its docker CLI equivalent. */
export function ContainerActions({ c }: { c: ContainerSummary }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [force, setForce] = useState(false);
  const opts = { onError: (e: unknown) => setError(errorMessage(e)), onSuccess: () => setError(null) };
  const start = useMutation(trpc.containers.start.mutationOptions(opts));
  const stop = useMutation(trpc.containers.stop.mutationOptions(opts));
  const restart = useMutation(trpc.containers.restart.mutationOptions(opts));
  const remove = useMutation(trpc.containers.remove.mutationOptions(opts));
  const busy = start.isPending || stop.isPending || restart.isPending || remove.isPending;
  const running = c.state === "running" || c.state === "restarting" || c.state === "paused";

  return (
    <div className="actions" aria-label={`Actions for ${c.name}`} role="group">
      <button type="button" disabled={busy || running} onClick={() => start.mutate({ id: c.id })} title={`docker start ${c.name}`}>
        Start
      </button>
      <button type="button" disabled={busy || !running} onClick={() => stop.mutate({ id: c.id })} title={`docker stop ${c.name}`}>
        Stop
      </button>
      <button type="button" disabled={busy} onClick={() => restart.mutate({ id: c.id })} title={`docker restart ${c.name}`}>
        Restart
      </button>
      <button type="button" disabled={busy} className="danger" onClick={() => { setForce(running); setConfirming(true); }} title={`docker rm ${running ? "-f " : ""}${c.name}`}>
        Remove
      </button>
      {confirming && (
        <div role="dialog" aria-modal="true" aria-label={`Remove ${c.name}`} className="confirm">
          <p>
            Remove container <strong>{c.name}</strong>?
          </p>
          <label>
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (stop a running container first)
          </label>
          {running && !force && <p className="muted small">A running container can only be removed with Force.</p>}
          <code className="small">docker rm {force ? "-f " : ""}{c.name}</code>
          <div className="row">
            <button type="button" className="danger" onClick={() => { setConfirming(false); remove.mutate({ id: c.id, force }); }}>
              Confirm remove
            </button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      )}
      {error && <p role="alert" className="error small">{error}</p>}
    </div>
  );
}
