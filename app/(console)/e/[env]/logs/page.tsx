"use client";
/**
 * Full-screen logs: `/e/<env>/logs?id=<container>`, `?ids=a,b` (merged) or
 * `?project=<compose project>`. Without a query, pick containers or a project.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useMemo, useState } from "react";
import { KeepAllHistory } from "~/app/_components/logs/history-controls";
import { LogView } from "~/app/_components/logs/log-view";
import { envPath } from "~/app/_lib/env-path";
import { useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";

const PROJECT_LABEL = "com.docker.compose.project";

function Picker() {
  const trpc = useTRPC();
  const env = useEnv();
  const router = useRouter();
  const { data: containers } = useQuery(trpc.containers.list.queryOptions({ env }));
  const [picked, setPicked] = useState<string[]>([]);
  const projects = useMemo(() => [...new Set((containers ?? []).map((c) => c.labels[PROJECT_LABEL]).filter(Boolean))].sort(), [containers]);
  const sorted = useMemo(() => [...(containers ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [containers]);
  return (
    <div className="card">
      <h2>Choose containers</h2>
      <p className="muted">One container, several merged by time, or a whole compose project.</p>
      <KeepAllHistory />
      <ul className="log-picker" aria-label="Containers">
        {sorted.map((c) => (
          <li key={c.id}>
            <label>
              <input
                type="checkbox"
                checked={picked.includes(c.name)}
                onChange={(e) => setPicked((p) => (e.target.checked ? [...p, c.name] : p.filter((x) => x !== c.name)))}
              />{" "}
              {c.name} <span className="muted small">{c.state}</span>
            </label>{" "}
            <Link href={envPath(env, `/logs?id=${encodeURIComponent(c.name)}`)}>logs</Link>
          </li>
        ))}
      </ul>
      <button type="button" className="primary" disabled={picked.length === 0} onClick={() => router.push(envPath(env, picked.length === 1 ? `/logs?id=${encodeURIComponent(picked[0])}` : `/logs?ids=${picked.map(encodeURIComponent).join(",")}`))}>
        Open logs
      </button>
      {projects.length > 0 && (
        <>
          <h2 style={{ marginTop: "1rem" }}>Compose projects</h2>
          <ul aria-label="Projects">
            {projects.map((p) => (
              <li key={p}>
                <Link href={envPath(env, `/logs?project=${encodeURIComponent(p)}`)}>{p}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function LogsPage() {
  const env = useEnv();
  const sp = useSearchParams();
  const id = sp.get("id") ?? undefined;
  const idsParam = sp.get("ids");
  const project = sp.get("project") ?? undefined;
  const ids = useMemo(() => idsParam?.split(",").filter(Boolean), [idsParam]);
  const title = id ?? project ?? (ids ? ids.join(", ") : undefined);
  return (
    <>
      <div className="page-head">
        <h1>{title ? `Logs: ${title}` : "Logs"}</h1>
        {title && <Link href={envPath(env, "/logs")}>Choose other containers</Link>}
      </div>
      {id ? <LogView key={`id:${id}`} containerId={id} /> : ids?.length ? <LogView key={`ids:${idsParam}`} containerIds={ids} /> : project ? <LogView key={`p:${project}`} project={project} /> : <Picker />}
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <LogsPage />
    </Suspense>
  );
}
