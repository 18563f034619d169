"use client";
/** Bits the networks list and a network's page share: Remove, and the subnet/gateway text. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { NetworkSummary } from "~/runtime/networks/protocol";
import { shellQuote } from "~/runtime/run-spec/shell-quote";
import { ActionDialog } from "~/app/_components/dialog";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

export const subnetsOf = (n: Pick<NetworkSummary, "ipam">) => n.ipam.map((c) => c.subnet).filter(Boolean).join(", ") || "—";
export const gatewaysOf = (n: Pick<NetworkSummary, "ipam">) => n.ipam.map((c) => c.gateway).filter(Boolean).join(", ") || "—";
export const yesNo = (b: boolean) => (b ? "Yes" : "No");

/** Remove (`docker network rm`), with a confirmation. */
export function RemoveNetworkButton({ env, network, onRemoved }: { env: string; network: { id: string; name: string }; onRemoved: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const mutation = useMutation(trpc.networks.remove.mutationOptions({ onSuccess: () => (setOpen(false), onRemoved()) }));
  return (
    <>
      <button type="button" className="danger" aria-label={`Remove network ${network.name}`} onClick={() => (mutation.reset(), setOpen(true))}>
        Remove
      </button>
      {open && (
        <ActionDialog
          label={`Remove network ${network.name}`}
          cli={`docker network rm ${shellQuote(network.name)}`}
          onClose={() => setOpen(false)}
          onSubmit={() => mutation.mutate({ env, id: network.id })}
          submitLabel="Remove"
          danger
          busy={mutation.isPending}
          error={mutation.error ? errorMessage(mutation.error) : null}
        >
          <p>Containers must be disconnected first.</p>
        </ActionDialog>
      )}
    </>
  );
}
