"use client";
/**
 * Connect a container to this network (`docker network connect [--ip] [--ip6]
 * [--alias]`): the container from the live list, a static IPv4 (and IPv6)
 * address checked against the network's subnets as the runtime checks it, aliases.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { NetworkSummary } from "~/runtime/networks/protocol";
import { staticAddressProblem } from "~/runtime/run-spec/subnets";
import { shellQuote } from "~/runtime/run-spec/shell-quote";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { errorField } from "~/app/_features/volumes/key-values";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

export function ConnectDialog({ env, network, containers, onClose, onDone }: {
  env: string;
  network: Pick<NetworkSummary, "id" | "name" | "ipam" | "enableIPv6">;
  containers: { id: string; name: string }[];
  onClose: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [container, setContainer] = useState(containers[0]?.name ?? "");
  const [ipv4, setIpv4] = useState("");
  const [ipv6, setIpv6] = useState("");
  const [aliases, setAliases] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ message: string; field?: string } | null>(null);
  const mutation = useMutation(
    trpc.containers.networkConnect.mutationOptions({
      onError: (e) => setServer({ message: errorMessage(e), field: errorField(e) }),
      onSuccess: onDone,
    }),
  );
  const existing = { name: network.name, subnets: network.ipam.map((c) => c.subnet).filter((s): s is string => !!s) };
  const aliasList = aliases.split(/[\s,]+/).filter(Boolean);
  const v4Problem = ipv4.trim() ? staticAddressProblem("ipv4", ipv4.trim(), existing)?.message : undefined;
  const v6Problem = ipv6.trim() ? staticAddressProblem("ipv6", ipv6.trim(), existing)?.message : undefined;
  const fieldError = (f: string) => (server?.field === f || server?.field?.startsWith(`${f}[`) ? server.message : undefined);
  const submit = () => {
    setSubmitted(true);
    setServer(null);
    if (!container || v4Problem || v6Problem) return;
    mutation.mutate({ env, id: container, network: network.id, ...(ipv4.trim() ? { ipv4: ipv4.trim() } : {}), ...(ipv6.trim() ? { ipv6: ipv6.trim() } : {}), ...(aliasList.length ? { aliases: aliasList } : {}) });
  };
  const cli = ["docker network connect", ipv4.trim() ? `--ip ${ipv4.trim()}` : "", ipv6.trim() ? `--ip6 ${ipv6.trim()}` : "", ...aliasList.map((a) => `--alias ${shellQuote(a)}`), shellQuote(network.name), container ? shellQuote(container) : "CONTAINER"]
    .filter(Boolean).join(" ");
  return (
    <ActionDialog
      label="Connect a container"
      cli={cli}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Connect"
      busy={mutation.isPending}
      error={server && !["ipv4", "ipv6", "aliases", "id"].includes((server.field ?? "").replace(/\[.*/, "")) ? server.message : null}
    >
      <div className="field">
        <label>
          Container{" "}
          <select aria-label="Container" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c.id} value={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        {(fieldError("id") || (submitted && !container ? "Choose a container" : undefined)) && <small className="error">{fieldError("id") ?? "Choose a container"}</small>}
      </div>
      <Field label="IPv4 address" value={ipv4} onChange={setIpv4} placeholder={existing.subnets[0] ? `inside ${existing.subnets[0]}` : "needs a network with a subnet"} error={(submitted ? v4Problem : undefined) ?? fieldError("ipv4")} />
      {network.enableIPv6 && <Field label="IPv6 address" value={ipv6} onChange={setIpv6} error={(submitted ? v6Problem : undefined) ?? fieldError("ipv6")} />}
      <Field label="Aliases" value={aliases} onChange={setAliases} placeholder="web, api" hint="Names other containers on this network reach it by" error={fieldError("aliases")} />
    </ActionDialog>
  );
}
