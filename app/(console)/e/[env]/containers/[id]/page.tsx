"use client";
/**
 * One container: overview, inspect, processes, changes, logs (and stats and
 * console later), with every action. Live: the containers list is kept current
 * over the WebSocket (app/_lib/live.tsx); when this container's summary there
 * changes, its inspect is fetched again.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { RunCommand } from "../../../../../_components/run-command";
import { errorMessage, useTRPC } from "../../../../../_lib/trpc";
import { ChangesTab } from "../../../../../_features/containers/page/changes-tab";
import { InspectTab } from "../../../../../_features/containers/page/inspect-tab";
import { LogsTab } from "../../../../../_features/containers/page/logs-tab";
import { Overview } from "../../../../../_features/containers/page/overview";
import { PageActions } from "../../../../../_features/containers/page/page-actions";
import { ProcessesTab } from "../../../../../_features/containers/page/processes-tab";

const TABS = ["Overview", "Inspect", "Processes", "Changes", "Logs", "Stats", "Console"] as const;
type Tab = (typeof TABS)[number];

export default function ContainerPage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const [tab, setTab] = useState<Tab>("Overview");
  const inspect = useQuery(trpc.containers.inspect.queryOptions({ id }));
  const { data: list } = useQuery(trpc.containers.list.queryOptions());
  const summary = list?.find((c) => c.id === id || c.name === id || c.id.startsWith(id));

  // The live summary's visible parts; any change means the inspect is stale.
  const liveKey = summary
    ? JSON.stringify([summary.state, summary.status, summary.name, summary.networks, summary.ports, summary.health])
    : list
      ? "gone"
      : "unknown";
  const lastKey = useRef(liveKey);
  const { refetch } = inspect;
  useEffect(() => {
    if (lastKey.current === liveKey) return;
    lastKey.current = liveKey;
    void refetch();
  }, [liveKey, refetch]);

  if (inspect.error) {
    return (
      <section>
        <p>
          <Link href="/containers">← Containers</Link>
        </p>
        <p role="alert" className="error">{errorMessage(inspect.error)}</p>
      </section>
    );
  }
  if (!inspect.data) return <p className="muted">Loading…</p>;

  const { container: c, image } = inspect.data;
  const name = c.Name.replace(/^\//, "");
  const rp = c.HostConfig.RestartPolicy;
  const restartPolicy = !rp?.Name || rp.Name === "no" ? "no" : rp.Name === "on-failure" && rp.MaximumRetryCount ? `on-failure:${rp.MaximumRetryCount}` : rp.Name;

  return (
    <section aria-labelledby="container-title">
      <p className="small">
        <Link href="/containers">← Containers</Link>
      </p>
      <div className="page-head">
        <h1 id="container-title">
          {name} <span className={`state state-${c.State.Status}`}>{c.State.Status}</span>
        </h1>
      </div>
      {liveKey === "gone" && (
        <p role="alert" className="error">This container no longer exists.</p>
      )}
      <PageActions c={c} onChanged={() => void refetch()} />
      <div role="tablist" aria-label="Container views" className="tabs">
        {TABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} aria-controls={`tab-${t}`} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tab-${tab}`} aria-label={tab} className="tabpanel">
        {tab === "Overview" && (
          <>
            <Overview c={c} image={image} restartPolicy={restartPolicy} />
            <RunCommand containerId={c.Id} />
          </>
        )}
        {tab === "Inspect" && <InspectTab container={c} image={image} />}
        {tab === "Processes" && <ProcessesTab id={c.Id} name={name} running={c.State.Running && !c.State.Paused} />}
        {tab === "Changes" && <ChangesTab id={c.Id} name={name} />}
        {tab === "Logs" && <LogsTab id={c.Id} />}
        {tab === "Stats" && <p className="muted">Live CPU, memory, network and block I/O charts come in a later release.</p>}
        {tab === "Console" && <p className="muted">An interactive console (docker exec) comes in a later release.</p>}
      </div>
    </section>
  );
}
