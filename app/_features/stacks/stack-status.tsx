/** A stack's status as a badge: running (every container up), partial, stopped, empty (no containers). */
import type { StackStatus } from "~/runtime/stacks/protocol";
import { timeAgo } from "~/app/_lib/format";

const TITLE: Record<StackStatus, string> = {
  running: "Every container is running",
  partial: "Some containers are running, some are not",
  stopped: "No container is running",
  empty: "The stack has no containers",
};

export function StackStatusBadge({ status }: { status: StackStatus }) {
  return <span className={`badge stack-${status}`} title={TITLE[status]} data-status={status}>{status}</span>;
}

export function SourceCell({ source, adoptHint }: { source: "berth" | "cli"; adoptHint?: string }) {
  if (source === "berth") return <span title="Deployed or adopted by Berth: its file is kept here">Berth</span>;
  return (
    <span title="Started with the compose CLI">
      CLI
      {adoptHint && <span className="muted small"> ({adoptHint})</span>}
    </span>
  );
}

/** A time the runtime gave (milliseconds, or seconds from older records) as "3 minutes ago", the date in its title. */
export function When({ at }: { at?: number }) {
  if (!at) return <span className="muted">—</span>;
  const ms = at > 1e12 ? at : at * 1000;
  return <time dateTime={new Date(ms).toISOString()} title={new Date(ms).toLocaleString()}>{timeAgo(ms / 1000)}</time>;
}
