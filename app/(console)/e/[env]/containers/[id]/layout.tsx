"use client";
/**
 * One container: the header, every action and the views as tabs, each tab its
 * own page below this layout. Live: the containers list is kept current over the
 * WebSocket (app/_lib/live.tsx); when this container's summary there changes, its
 * inspect is fetched again.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";
import { ContainerContext, restartPolicyOf } from "~/app/_features/containers/page/container-context";
import { ContainerTabs, currentTab } from "~/app/_features/containers/page/container-tabs";
import { PageActions } from "~/app/_features/containers/page/page-actions";
import { decodeSegment, envPath } from "~/app/_lib/env-path";
import { findContainer } from "~/runtime/protocol/container-ref";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";

function useContainerRef(): string {
  const { id } = useParams<{ id: string }>();
  return decodeSegment(id) ?? id;
}

export default function ContainerLayout({ children }: { children: ReactNode }) {
  const env = useEnv();
  const id = useContainerRef();
  const pathname = usePathname();
  const trpc = useTRPC();
  const inspect = useQuery(trpc.containers.inspect.queryOptions({ env, id }));
  const { data: list } = useQuery(trpc.containers.list.queryOptions({ env }));
  const summary = list && findContainer(id, list);

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

  const back = (
    <p className="small">
      <Link href={envPath(env, "/containers")}>← Containers</Link>
    </p>
  );
  if (inspect.error) {
    return (
      <section>
        {back}
        <p role="alert" className="error">{errorMessage(inspect.error)}</p>
      </section>
    );
  }
  if (!inspect.data) return <p className="muted">Loading…</p>;

  const { container: c, image } = inspect.data;
  const name = c.Name.replace(/^\//, "");
  const base = envPath(env, `/containers/${encodeURIComponent(id)}`);
  const tab = currentTab(base, pathname);

  return (
    <ContainerContext.Provider value={{ container: c, image, name, restartPolicy: restartPolicyOf(c) }}>
      <section aria-labelledby="container-title">
        {back}
        <div className="page-head">
          <h1 id="container-title">
            {name} <span className={`state state-${c.State.Status}`}>{c.State.Status}</span>
          </h1>
        </div>
        {liveKey === "gone" && (
          <p role="alert" className="error">This container no longer exists.</p>
        )}
        <PageActions c={c} onChanged={() => void refetch()} />
        <ContainerTabs base={base} />
        <div role="region" aria-label={tab.label} className="tabpanel">
          {children}
        </div>
      </section>
    </ContainerContext.Provider>
  );
}
