"use client";
/**
 * A stack's versions: every deploy, rollback and adoption with when, who and
 * what. Pick two and Diff shows the file, the .env and the image digests that
 * changed, line by line; Rollback redeploys a version's file and env with the
 * exact digests it ran, after a confirmation, as a task.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { DiffLine, StackDiff } from "~/runtime/stacks/protocol";
import { ActionDialog } from "~/app/_components/dialog";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { TaskProgress } from "../tasks/task-progress";
import { useTaskDetail } from "../tasks/use-tasks";
import { When } from "./stack-status";

const MARK: Record<DiffLine["op"], string> = { same: " ", add: "+", remove: "-" };

function DiffText({ label, lines }: { label: string; lines: DiffLine[] }) {
  const changed = lines.some((l) => l.op !== "same");
  return (
    <section aria-label={label}>
      <h3>{label}</h3>
      {!changed ? <p className="muted small">No change.</p> : (
        <pre className="raw diff">
          {lines.map((l, i) => (
            <div key={i} className={`diff-${l.op}`} data-op={l.op}>
              <span className="muted">{String(l.b ?? l.a ?? "").padStart(4)} </span>{MARK[l.op]} {l.text}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}

function DiffView({ diff }: { diff: StackDiff }) {
  const digests = diff.digests.filter((d) => d.from !== d.to);
  return (
    <section aria-label={`Diff of version ${diff.from} and version ${diff.to}`} className="card">
      <h2>Version {diff.from} → version {diff.to}</h2>
      <DiffText label="compose.yaml changes" lines={diff.file} />
      <DiffText label=".env changes" lines={diff.env} />
      <section aria-label="Image digest changes">
        <h3>Image digests</h3>
        {digests.length === 0 ? <p className="muted small">No change.</p> : (
          <table className="table">
            <thead><tr><th>Service</th><th>Version {diff.from}</th><th>Version {diff.to}</th></tr></thead>
            <tbody>
              {digests.map((d) => (
                <tr key={d.service}><td>{d.service}</td><td><code className="small">{d.from ?? "—"}</code></td><td><code className="small">{d.to ?? "—"}</code></td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

export function VersionsPanel({ env, name, onRolledBack }: { env: string; name: string; onRolledBack: () => void }) {
  const trpc = useTRPC();
  const can = useCan();
  const versions = useQuery({ ...trpc.stacks.versions.queryOptions({ env, id: name }), refetchOnMount: "always" });
  const [picked, setPicked] = useState<number[]>([]);
  const [compare, setCompare] = useState<[number, number]>();
  const [confirm, setConfirm] = useState<number>();
  const [override, setOverride] = useState(false);
  const [taskId, setTaskId] = useState<string>();
  const diff = useQuery({
    ...trpc.stacks.diff.queryOptions({ env, id: name, from: compare?.[0] ?? 1, to: compare?.[1] ?? 1 }),
    enabled: !!compare,
  });
  const rollback = useMutation(trpc.stacks.rollback.mutationOptions({
    onSuccess: (r) => {
      setConfirm(undefined);
      setTaskId(r.taskId);
    },
  }));
  // The rollback's version is recorded when its task ends: read the list (and the stack) again then.
  const { task } = useTaskDetail(env, taskId);
  const ended = task && task.state !== "running" ? task.id : undefined;
  const refetchVersions = versions.refetch;
  const rolledBack = useRef(onRolledBack);
  useEffect(() => {
    rolledBack.current = onRolledBack;
  });
  useEffect(() => {
    if (!ended) return;
    void refetchVersions();
    rolledBack.current();
  }, [ended, refetchVersions]);
  const toggle = (v: number) => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p, v].slice(-2)));
  const list = versions.data ? [...versions.data].sort((a, b) => b.version - a.version) : [];

  if (versions.error) return <p role="alert" className="error">{errorMessage(versions.error)}</p>;
  if (!versions.data) return <p className="muted">Loading…</p>;
  return (
    <div>
      <div className="row">
        <button type="button" disabled={picked.length !== 2}
          onClick={() => setCompare([Math.min(...picked), Math.max(...picked)] as [number, number])}>
          Diff
        </button>
        <span className="muted small">{picked.length === 2 ? `Versions ${Math.min(...picked)} and ${Math.max(...picked)}` : "Pick two versions to compare"}</span>
      </div>
      <table className="table" aria-label="Versions">
        <thead><tr><th><span className="sr-only">Pick</span></th><th>Version</th><th>When</th><th>Who</th><th>Action</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {list.length === 0 && <tr><td colSpan={6} className="muted">No versions.</td></tr>}
          {list.map((v, i) => (
            <tr key={v.version} data-version={v.version}>
              <td><input type="checkbox" aria-label={`Pick version ${v.version}`} checked={picked.includes(v.version)} onChange={() => toggle(v.version)} /></td>
              <td>{v.version}{i === 0 && <span className="badge">current</span>}</td>
              <td><When at={v.at} /></td>
              <td>{v.by?.name ?? <span className="muted">—</span>}</td>
              <td>{v.action}{v.rolledBackTo ? ` to version ${v.rolledBackTo}` : ""}</td>
              <td>
                {i > 0 && can("stack.update") && (
                  <button type="button" aria-label={`Rollback to version ${v.version}`} onClick={() => (rollback.reset(), setOverride(false), setConfirm(v.version))}>
                    Rollback
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff.error && <p role="alert" className="error">{errorMessage(diff.error)}</p>}
      {compare && diff.data && <DiffView diff={diff.data} />}
      {taskId && <TaskProgress env={env} taskId={taskId} />}
      {confirm !== undefined && (
        <ActionDialog
          label={`Rollback to version ${confirm}`}
          cli={`docker-compose -p ${name} up -d   # with version ${confirm}'s file, .env and image digests`}
          onClose={() => setConfirm(undefined)}
          onSubmit={() => rollback.mutate({ env, id: name, version: confirm, override })}
          submitLabel="Rollback"
          busy={rollback.isPending}
          error={rollback.error ? errorMessage(rollback.error) : null}
        >
          <p>Redeploys version {confirm}&apos;s compose.yaml and .env with the image digests it ran. It becomes a new version.</p>
          {rollback.error && /override/.test(errorMessage(rollback.error)) && (
            <label className="check">
              <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Deploy anyway (override)
            </label>
          )}
        </ActionDialog>
      )}
    </div>
  );
}
