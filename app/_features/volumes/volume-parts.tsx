"use client";
/** Bits the volumes list and a volume's page share: the size, the Unused badge, Remove. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ActionDialog } from "~/app/_components/dialog";
import { formatBytes } from "~/app/_lib/format";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { shellQuote } from "~/runtime/run-spec/shell-quote";

export const volumeSize = (size: number) => (size < 0 ? "—" : formatBytes(size));

export const createdText = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toLocaleString() : "—";
};

export function UnusedBadge() {
  return <span className="badge badge-unused" title="No container has it mounted">Unused</span>;
}

/** Remove (`docker volume rm [-f]`), with a confirmation. */
export function RemoveVolumeButton({ env, name, onRemoved }: { env: string; name: string; onRemoved: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [force, setForce] = useState(false);
  const mutation = useMutation(trpc.volumes.remove.mutationOptions({ onSuccess: () => (setOpen(false), onRemoved()) }));
  return (
    <>
      <button type="button" className="danger" aria-label={`Remove volume ${name}`} onClick={() => (mutation.reset(), setOpen(true))}>
        Remove
      </button>
      {open && (
        <ActionDialog
          label={`Remove volume ${name}`}
          cli={`docker volume rm ${force ? "-f " : ""}${shellQuote(name)}`}
          onClose={() => setOpen(false)}
          onSubmit={() => mutation.mutate({ env, id: name, force })}
          submitLabel="Remove"
          danger
          busy={mutation.isPending}
          error={mutation.error ? errorMessage(mutation.error) : null}
        >
          <p>The volume and every file in it are deleted.</p>
          <label className="check">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> <span>Force</span>
          </label>
        </ActionDialog>
      )}
    </>
  );
}
