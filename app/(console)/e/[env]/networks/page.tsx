"use client";
/**
 * Networks (`docker network ls`): name, driver, scope, subnet, gateway,
 * internal, attachable and the containers connected; Create network, Remove,
 * Prune. Refetched on network and container events.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { PruneButton } from "~/app/_features/prune/prune-button";
import { CreateNetworkDialog } from "~/app/_features/networks/network-create-dialog";
import { gatewaysOf, RemoveNetworkButton, subnetsOf, yesNo } from "~/app/_features/networks/network-parts";
import { useObjectEvents } from "~/app/_lib/use-object-events";

export default function NetworksPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const router = useRouter();
  // Events are followed only while the page is open: read again on every visit.
  const networks = useQuery({ ...trpc.networks.list.queryOptions({ env }), refetchOnMount: "always" });
  const [filter, setFilter] = useState("");
  const [creating, setCreating] = useState(false);
  useObjectEvents(env, "network", () => void networks.refetch());
  const shown = (networks.data ?? []).filter((n) => !filter || n.name.toLowerCase().includes(filter.toLowerCase()) || n.driver.includes(filter));

  return (
    <section aria-labelledby="networks-title">
      <div className="page-head">
        <h1 id="networks-title">Networks</h1>
        <div className="filters">
          <input type="search" aria-label="Filter by name" placeholder="Filter by name or driver" value={filter} onChange={(e) => setFilter(e.target.value)} />
          {can("network.create") && (
            <button type="button" className="primary" title="docker network create" onClick={() => setCreating(true)}>
              Create network
            </button>
          )}
          <PruneButton env={env} kind="networks" />
        </div>
      </div>
      {creating && (
        <CreateNetworkDialog
          env={env}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            router.push(envPath(env, `/networks/${id}`));
          }}
        />
      )}
      {networks.error ? (
        <p className="error" role="alert">{errorMessage(networks.error)}</p>
      ) : networks.isLoading ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="table" aria-label="Networks">
          <thead>
            <tr>
              <th>Name</th>
              <th>Driver</th>
              <th>Scope</th>
              <th>Subnet</th>
              <th>Gateway</th>
              <th>Internal</th>
              <th>Attachable</th>
              <th>Containers</th>
              <th><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((n) => (
              <tr key={n.id} data-network={n.name}>
                <td>
                  <Link href={envPath(env, `/networks/${n.id}`)} aria-label={`Network ${n.name}`}>{n.name}</Link>{" "}
                  <code className="small muted">{n.id.slice(0, 12)}</code>
                </td>
                <td>{n.driver}</td>
                <td>{n.scope}</td>
                <td>{subnetsOf(n)}</td>
                <td>{gatewaysOf(n)}</td>
                <td>{yesNo(n.internal)}</td>
                <td>{yesNo(n.attachable)}</td>
                <td>{n.containers}</td>
                <td>{!n.builtIn && can("network.remove") && <RemoveNetworkButton env={env} network={n} onRemoved={() => void networks.refetch()} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
