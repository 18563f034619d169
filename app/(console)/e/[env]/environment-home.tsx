"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatBytes } from "~/app/_lib/format";
import { envPath } from "~/app/_lib/env-path";
import { useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { HostStats } from "~/app/_features/stats/host-stats";

/** The environment's home: its engine, and what it holds. */
export function EnvironmentHome({ name }: { name: string }) {
  const trpc = useTRPC();
  const env = useEnv();
  const { data: engine, isLoading } = useQuery(trpc.engine.status.queryOptions({ env }));
  if (isLoading) return <p className="muted">Loading…</p>;
  if (!engine) return <p className="muted">Waiting for the runtime…</p>;
  const c = engine.counts;
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{name} environment</h1>
      <div className="card">
        <h2>Engine</h2>
        {engine.reachable ? (
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="engine-status">Reachable</dd>
            <dt>Docker host</dt>
            <dd>{engine.dockerHost}</dd>
            <dt>Engine version</dt>
            <dd data-testid="engine-version">{engine.version}</dd>
            <dt>API version</dt>
            <dd data-testid="engine-api-version">{engine.apiVersion}</dd>
            <dt>OS/Arch</dt>
            <dd>
              {engine.os} ({engine.osType}/{engine.arch}), kernel {engine.kernel}
            </dd>
            <dt>CPUs</dt>
            <dd>{engine.cpus}</dd>
            <dt>Memory</dt>
            <dd>{engine.memory ? formatBytes(engine.memory) : "—"}</dd>
          </dl>
        ) : (
          <p role="alert" className="error">
            <strong>Engine unreachable</strong>: {engine.reason} ({engine.dockerHost})
          </p>
        )}
      </div>
      {engine.reachable && c && (
        <div className="tiles">
          <Link className="tile" href={envPath(env, "/containers")}>
            <span className="tile-n" data-testid="count-containers">{c.containers}</span> Containers
            <small>
              {c.running} running · {c.stopped} stopped{c.paused ? ` · ${c.paused} paused` : ""}
            </small>
          </Link>
          <div className="tile">
            <span className="tile-n">{c.images}</span> Images
          </div>
          <div className="tile">
            <span className="tile-n">{c.volumes}</span> Volumes
          </div>
          <div className="tile">
            <span className="tile-n">{c.networks}</span> Networks
          </div>
        </div>
      )}
      {engine.reachable && <HostStats env={env} cpus={engine.cpus} memory={engine.memory} />}
    </section>
  );
}
