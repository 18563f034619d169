"use client";
/**
 * One network (`docker network inspect`): its address plan and settings, the
 * connected containers with their IPv4/IPv6 addresses, MAC and aliases;
 * Connect a container (static IP, aliases) and Disconnect; Remove.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { ConnectDialog } from "~/app/_features/networks/connect-dialog";
import { gatewaysOf, RemoveNetworkButton, subnetsOf, yesNo } from "~/app/_features/networks/network-parts";
import { useObjectEvents } from "~/app/_lib/use-object-events";

export default function NetworkPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const router = useRouter();
  const id = decodeURIComponent(useParams<{ id: string }>().id);
  const network = useQuery({ ...trpc.networks.inspect.queryOptions({ env, id }), refetchOnMount: "always" });
  const containers = useQuery({ ...trpc.containers.list.queryOptions({ env }), enabled: can("container.network") });
  const [connecting, setConnecting] = useState(false);
  const disconnect = useMutation(trpc.containers.networkDisconnect.mutationOptions({ onSuccess: () => void network.refetch() }));
  useObjectEvents(env, "network", () => void network.refetch());
  const n = network.data;
  const candidates = (containers.data ?? []).filter((c) => !n?.containersConnected.some((x) => x.id === c.id)).map((c) => ({ id: c.id, name: c.name }));

  return (
    <section aria-labelledby="network-title">
      <div className="page-head">
        <h1 id="network-title">Network {n?.name ?? id}</h1>
        <div className="filters">
          <Link className="button" href={envPath(env, "/networks")}>All networks</Link>
          {n && can("container.network") && n.driver !== "host" && n.driver !== "null" && (
            <button type="button" className="primary" title="docker network connect" onClick={() => setConnecting(true)}>
              Connect a container
            </button>
          )}
          {n && !n.builtIn && can("network.remove") && <RemoveNetworkButton env={env} network={n} onRemoved={() => router.push(envPath(env, "/networks"))} />}
        </div>
      </div>
      {connecting && n && (
        <ConnectDialog
          env={env}
          network={n}
          containers={candidates}
          onClose={() => setConnecting(false)}
          onDone={() => {
            setConnecting(false);
            void network.refetch();
          }}
        />
      )}
      {network.error ? (
        <p className="error" role="alert">{errorMessage(network.error)}</p>
      ) : !n ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="details" aria-label="Network details">
            <dt>ID</dt><dd><code>{n.id}</code></dd>
            <dt>Driver</dt><dd>{n.driver}</dd>
            <dt>Scope</dt><dd>{n.scope}</dd>
            <dt>Subnet</dt><dd>{subnetsOf(n)}</dd>
            <dt>Gateway</dt><dd>{gatewaysOf(n)}</dd>
            {n.ipam.some((c) => c.ipRange) && (<><dt>IP range</dt><dd>{n.ipam.map((c) => c.ipRange).filter(Boolean).join(", ")}</dd></>)}
            {n.ipam.some((c) => c.auxAddresses) && (<><dt>Auxiliary addresses</dt><dd>{n.ipam.flatMap((c) => Object.entries(c.auxAddresses ?? {})).map(([k, v]) => `${k}=${v}`).join(", ")}</dd></>)}
            <dt>IPv6</dt><dd>{yesNo(n.enableIPv6)}</dd>
            <dt>Internal</dt><dd>{yesNo(n.internal)}</dd>
            <dt>Attachable</dt><dd>{yesNo(n.attachable)}</dd>
            <dt>Labels</dt><dd>{Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "—"}</dd>
            <dt>Driver options</dt><dd>{Object.entries(n.options).map(([k, v]) => `${k}=${v}`).join(", ") || "—"}</dd>
          </dl>
          <h2>Connected containers</h2>
          {disconnect.error && <p className="error" role="alert">{errorMessage(disconnect.error)}</p>}
          {n.containersConnected.length === 0 ? (
            <p className="muted">No container is connected.</p>
          ) : (
            <table className="table" aria-label="Connected containers">
              <thead>
                <tr><th>Container</th><th>State</th><th>IPv4 address</th><th>IPv6 address</th><th>MAC address</th><th>Aliases</th><th><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {n.containersConnected.map((c) => (
                  <tr key={c.id} data-container={c.name}>
                    <td><Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link></td>
                    <td>{c.state}</td>
                    <td>{c.ipv4 ?? c.staticIpv4 ?? "—"}</td>
                    <td>{c.ipv6 ?? c.staticIpv6 ?? "—"}</td>
                    <td><code>{c.mac ?? "—"}</code></td>
                    <td>{c.aliases.join(", ") || "—"}</td>
                    <td>
                      {can("container.network") && (
                        <button
                          type="button"
                          aria-label={`Disconnect ${c.name}`}
                          title={`docker network disconnect ${n.name} ${c.name}`}
                          disabled={disconnect.isPending}
                          onClick={() => disconnect.mutate({ env, id: c.id, network: n.id })}
                        >
                          Disconnect
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
