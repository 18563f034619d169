"use client";
/**
 * The Engine page: `docker info` and `docker version` in readable sections,
 * disk usage like `docker system df -v`, and the prunes of the whole engine
 * (system prune, stopped containers, build cache), each with a preview.
 */
import { useQuery } from "@tanstack/react-query";
import { DiskUsageView } from "~/app/_features/system/disk-usage";
import { EngineInfo } from "~/app/_features/system/engine-info";
import { PruneButton } from "~/app/_features/prune/prune-button";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { useEnv } from "~/app/_lib/use-env";

export default function EnginePage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const info = useQuery(trpc.system.info.queryOptions({ env }));
  const df = useQuery({ ...trpc.system.df.queryOptions({ env }), enabled: can("system.df") });
  return (
    <section aria-labelledby="engine-title">
      <div className="page-head">
        <h1 id="engine-title">Engine</h1>
        <div className="row">
          <PruneButton env={env} kind="containers" />
          <PruneButton env={env} kind="build-cache" />
          <PruneButton env={env} kind="system" />
        </div>
      </div>
      {info.error ? (
        <p role="alert" className="error">
          {errorMessage(info.error)}
        </p>
      ) : !info.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <EngineInfo info={info.data} />
      )}
      {can("system.df") && (
        <>
          <div className="page-head">
            <h2 id="disk-usage-title">Disk usage</h2>
            <button type="button" onClick={() => void df.refetch()} disabled={df.isFetching}>
              {df.isFetching ? "Refreshing…" : "Refresh"}
            </button>
          </div>
          {df.error ? (
            <p role="alert" className="error">
              {errorMessage(df.error)}
            </p>
          ) : !df.data ? (
            <p className="muted">Measuring disk usage…</p>
          ) : (
            <DiskUsageView du={df.data} />
          )}
        </>
      )}
    </section>
  );
}
