"use client";
/** One volume (`docker volume inspect`): its details, labels, options, the containers using it; Browse and Remove. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { createdText, RemoveVolumeButton, UnusedBadge, volumeSize } from "~/app/_features/volumes/volume-parts";
import { useObjectEvents } from "~/app/_lib/use-object-events";

function Pairs({ label, map }: { label: string; map: Record<string, string> }) {
  const entries = Object.entries(map);
  return (
    <>
      <dt>{label}</dt>
      <dd>{entries.length ? entries.map(([k, v]) => <div key={k}><code>{k}={v}</code></div>) : <span className="muted">—</span>}</dd>
    </>
  );
}

export default function VolumePage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const router = useRouter();
  const name = decodeURIComponent(useParams<{ name: string }>().name);
  const volume = useQuery({ ...trpc.volumes.inspect.queryOptions({ env, id: name }), refetchOnMount: "always" });
  useObjectEvents(env, "volume", () => void volume.refetch());
  const v = volume.data;
  return (
    <section aria-labelledby="volume-title">
      <div className="page-head">
        <h1 id="volume-title">Volume {name} {v?.unused && <UnusedBadge />}</h1>
        <div className="filters">
          <Link className="button" href={envPath(env, "/volumes")}>All volumes</Link>
          {can("volume.browse") && <Link className="button" href={envPath(env, `/volumes/${encodeURIComponent(name)}/files`)}>Browse</Link>}
          {v && can("volume.remove") && <RemoveVolumeButton env={env} name={name} onRemoved={() => router.push(envPath(env, "/volumes"))} />}
        </div>
      </div>
      {volume.error ? (
        <p className="error" role="alert">{errorMessage(volume.error)}</p>
      ) : !v ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="details" aria-label="Volume details">
            <dt>Driver</dt><dd>{v.driver}</dd>
            <dt>Mountpoint</dt><dd><code>{v.mountpoint}</code></dd>
            <dt>Created</dt><dd>{createdText(v.created)}</dd>
            <dt>Scope</dt><dd>{v.scope}</dd>
            <dt>Size</dt><dd>{volumeSize(v.size)}</dd>
            <Pairs label="Labels" map={v.labels} />
            <Pairs label="Driver options" map={v.options} />
          </dl>
          <h2>Containers using it</h2>
          {v.containers.length === 0 ? (
            <p className="muted">No container has it mounted.</p>
          ) : (
            <table className="table" aria-label="Containers using it">
              <thead><tr><th>Container</th><th>State</th><th>Mounted at</th><th>Mode</th></tr></thead>
              <tbody>
                {v.containers.map((c) => (
                  <tr key={c.id}>
                    <td><Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link></td>
                    <td>{c.state}</td>
                    <td><code>{c.destination}</code></td>
                    <td>{c.rw ? "read-write" : "read-only"}</td>
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
