"use client";
/**
 * Volumes (`docker volume ls`): name, driver, mountpoint, created, size (from
 * `system df`), the containers using each, Unused flagged; Create, Remove,
 * Browse (the volume's files) and Prune. Refetched on volume and container events.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { PruneButton } from "~/app/_features/prune/prune-button";
import { CreateVolumeDialog } from "~/app/_features/volumes/volume-create-dialog";
import { createdText, RemoveVolumeButton, UnusedBadge, volumeSize } from "~/app/_features/volumes/volume-parts";
import { useObjectEvents } from "~/app/_lib/use-object-events";

export default function VolumesPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  // Events are followed only while the page is open: read again on every visit.
  const volumes = useQuery({ ...trpc.volumes.list.queryOptions({ env }), refetchOnMount: "always" });
  const [filter, setFilter] = useState("");
  const [creating, setCreating] = useState(false);
  useObjectEvents(env, "volume", () => void volumes.refetch());
  const shown = (volumes.data ?? []).filter((v) => !filter || v.name.toLowerCase().includes(filter.toLowerCase()) || v.driver.includes(filter));

  return (
    <section aria-labelledby="volumes-title">
      <div className="page-head">
        <h1 id="volumes-title">Volumes</h1>
        <div className="filters">
          <input type="search" aria-label="Filter by name" placeholder="Filter by name or driver" value={filter} onChange={(e) => setFilter(e.target.value)} />
          {can("volume.create") && (
            <button type="button" className="primary" title="docker volume create" onClick={() => setCreating(true)}>
              Create volume
            </button>
          )}
          <PruneButton env={env} kind="volumes" />
        </div>
      </div>
      {creating && (
        <CreateVolumeDialog
          env={env}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            void volumes.refetch();
          }}
        />
      )}
      {volumes.error ? (
        <p className="error" role="alert">{errorMessage(volumes.error)}</p>
      ) : volumes.isLoading ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <table className="table" aria-label="Volumes">
            <thead>
              <tr>
                <th>Name</th>
                <th>Driver</th>
                <th>Mountpoint</th>
                <th>Created</th>
                <th>Size</th>
                <th>Containers</th>
                <th><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((v) => (
                <tr key={v.name} data-volume={v.name}>
                  <td>
                    <Link href={envPath(env, `/volumes/${encodeURIComponent(v.name)}`)} aria-label={`Volume ${v.name}`}>{v.name}</Link>{" "}
                    {v.unused && <UnusedBadge />}
                  </td>
                  <td>{v.driver}</td>
                  <td><code className="small">{v.mountpoint}</code></td>
                  <td>{createdText(v.created)}</td>
                  <td title={v.size < 0 ? "The engine did not report it in time" : undefined}>{volumeSize(v.size)}</td>
                  <td>
                    {v.containers.length === 0 ? <span className="muted">—</span> : v.containers.map((c, i) => (
                      <span key={c.id}>
                        {i > 0 && ", "}
                        <Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link>
                      </span>
                    ))}
                  </td>
                  <td className="row">
                    {can("volume.browse") && (
                      <Link className="button" href={envPath(env, `/volumes/${encodeURIComponent(v.name)}/files`)} aria-label={`Browse volume ${v.name}`}>
                        Browse
                      </Link>
                    )}
                    {can("volume.remove") && <RemoveVolumeButton env={env} name={v.name} onRemoved={() => void volumes.refetch()} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {volumes.data?.length ?? 0} volumes, {(volumes.data ?? []).filter((v) => v.unused).length} unused.
          </p>
        </>
      )}
    </section>
  );
}
