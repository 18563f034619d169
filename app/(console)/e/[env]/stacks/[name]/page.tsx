"use client";
/**
 * One stack: `/e/<env>/stacks/<name>`. Its status and actions (with their
 * compose CLI lines), then Services, Editor (compose.yaml and .env, Update) and
 * Versions (diff, rollback) as tabs, and its merged logs. A CLI project nobody
 * adopted shows what its containers' labels say, and how to adopt it.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import type { DownResult, StackCheckResult, StackDetail } from "~/runtime/stacks/protocol";
import { decodeSegment, envPath } from "~/app/_lib/env-path";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { useEnv } from "~/app/_lib/use-env";
import { DeployPanel } from "~/app/_features/stacks/deploy-panel";
import { ServicesTable } from "~/app/_features/stacks/services-table";
import { StackActions } from "~/app/_features/stacks/stack-actions";
import { StackEditor, type StackDraft } from "~/app/_features/stacks/stack-editor";
import { SourceCell, StackStatusBadge, When } from "~/app/_features/stacks/stack-status";
import { useObjectEvents } from "~/app/_lib/use-object-events";
import { VersionsPanel } from "~/app/_features/stacks/versions-panel";
import { SaveStackAsTemplate } from "~/app/_features/templates/save-stack-as-template";

type Tab = "Services" | "Editor" | "Versions";

function EditorTab({ env, s, onDone }: { env: string; s: StackDetail; onDone: () => void }) {
  const [draft, setDraft] = useState<StackDraft>({ file: s.file ?? "", dotenv: s.env ?? "" });
  const [check, setCheck] = useState<StackCheckResult>();
  const notReady = !check ? "Checking the file…" : !check.ok ? "Fix the file's problems first." : undefined;
  return (
    <>
      <StackEditor env={env} name={s.name} initial={draft} onChange={setDraft} onChecked={setCheck} />
      <DeployPanel env={env} mode="update" name={s.name} draft={draft} ready={!notReady} notReady={notReady} onDone={onDone} />
    </>
  );
}

function CliProject({ env, s, onAdopted }: { env: string; s: StackDetail; onAdopted: () => void }) {
  const trpc = useTRPC();
  const can = useCan();
  const adopt = useMutation(trpc.stacks.adopt.mutationOptions({ onSuccess: onAdopted }));
  return (
    <div className="card" aria-label="Started with the compose CLI">
      <p>This project was started with the compose CLI: Berth has no copy of its file.{s.adoptHint ? ` ${s.adoptHint}` : ""}</p>
      <dl className="details">
        <dt>Working directory</dt><dd>{s.workingDir ? <code>{s.workingDir}</code> : <span className="muted">—</span>}</dd>
        <dt>Config files</dt><dd>{s.configFiles?.length ? s.configFiles.map((f) => <div key={f}><code>{f}</code></div>) : <span className="muted">—</span>}</dd>
      </dl>
      {s.adoptable && can("stack.adopt") && (
        <button type="button" className="primary" disabled={adopt.isPending} onClick={() => adopt.mutate({ env, id: s.name })} title="Import its compose file so Berth manages it">
          Adopt
        </button>
      )}
      {adopt.error && <p role="alert" className="error">{errorMessage(adopt.error)}</p>}
    </div>
  );
}

export default function StackPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const router = useRouter();
  const raw = useParams<{ name: string }>().name;
  const name = decodeSegment(raw) ?? raw;
  const [tab, setTab] = useState<Tab>("Services");
  const [down, setDown] = useState<DownResult>();
  const stack = useQuery({ ...trpc.stacks.get.queryOptions({ env, id: name }), refetchOnMount: "always", retry: false });
  const refetch = () => void stack.refetch();
  useObjectEvents(env, "stack", refetch);
  const s = stack.data;
  const berth = s?.source === "berth";
  const tabs: Tab[] = berth ? ["Services", "Editor", "Versions"] : ["Services"];

  const back = <p className="muted small"><Link href={envPath(env, "/stacks")}>Stacks</Link> /</p>;
  if (stack.error) return <section>{back}<p role="alert" className="error">{errorMessage(stack.error)}</p></section>;
  if (!s) return <section>{back}<p className="muted">Loading…</p></section>;
  return (
    <section aria-labelledby="stack-title">
      {back}
      <div className="page-head">
        <h1 id="stack-title">Stack {s.name} <StackStatusBadge status={s.status} /></h1>
        <div className="filters">
          <Link className="button" href={envPath(env, `/logs?project=${encodeURIComponent(s.name)}`)} aria-label={`Logs of stack ${s.name}`} title={`docker-compose -p ${s.name} logs`}>Logs</Link>
        </div>
      </div>
      <p className="small">
        Source: <SourceCell source={s.source} /> · {s.containers.running}/{s.containers.total} containers running
        {s.version !== undefined && <> · version {s.version}</>}
        {s.updatedAt !== undefined && <> · updated <When at={s.updatedAt} /></>}
      </p>
      <StackActions
        env={env}
        name={s.name}
        berth={berth}
        onChanged={refetch}
        onDown={(r, forgot) => (forgot ? router.push(envPath(env, "/stacks")) : (setDown(r), refetch()))}
      />
      {down && (
        <div role="status" className="card small" aria-label="Down result">
          Removed {down.removed.containers.length} containers, {down.removed.networks.length} networks, {down.removed.volumes.length} volumes, {down.removed.images.length} images.
          {down.kept.length > 0 && <ul aria-label="Kept">{down.kept.map((k) => <li key={k}>{k}</li>)}</ul>}
        </div>
      )}
      {!berth && <CliProject env={env} s={s} onAdopted={refetch} />}
      {berth && <SaveStackAsTemplate env={env} stack={s.name} />}
      <div role="tablist" aria-label="Stack views" className="tabs">
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>{t}</button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab} className="tabpanel">
        {tab === "Services" && (
          <>
            <ServicesTable env={env} stack={s.name} services={s.services} onChanged={refetch} />
            {(s.networks.length > 0 || s.volumes.length > 0) && (
              <dl className="details" aria-label="Networks and volumes">
                <dt>Networks</dt>
                <dd>{s.networks.length ? s.networks.map((n) => <div key={n.name}><code>{n.name}</code>{n.external ? " (external)" : ""}{n.exists ? "" : " (not created)"}</div>) : <span className="muted">—</span>}</dd>
                <dt>Volumes</dt>
                <dd>{s.volumes.length ? s.volumes.map((v) => <div key={v.name}><code>{v.name}</code>{v.external ? " (external)" : ""}{v.exists ? "" : " (not created)"}</div>) : <span className="muted">—</span>}</dd>
              </dl>
            )}
          </>
        )}
        {/* Mounted when the tab opens: it starts from the file as it is then (after a rollback too). */}
        {tab === "Editor" && berth && <EditorTab env={env} s={s} onDone={refetch} />}
        {tab === "Versions" && berth && <VersionsPanel env={env} name={s.name} onRolledBack={refetch} />}
      </div>
    </section>
  );
}
