"use client";
/** Keep history (per container name or compose project), its caps, and search of what was recorded. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "../../_lib/trpc";
import { useEnv } from "../../_lib/use-env";

const mb = (n: number) => `${(n / (1 << 20)).toFixed(n < 10 << 20 ? 1 : 0)} MB`;

/** The history settings and their one mutation, whose answer is the new settings. */
function useHistorySettings() {
  const trpc = useTRPC();
  const env = useEnv();
  const qc = useQueryClient();
  const status = useQuery(trpc.logs.historyStatus.queryOptions({ env }));
  const set = useMutation(
    trpc.logs.historySet.mutationOptions({
      onSuccess: (data) => qc.setQueryData(trpc.logs.historyStatus.queryKey({ env }), data),
    }),
  );
  return { env, status, set };
}

export function KeepHistory({ container, project }: { container?: string; project?: string }) {
  const { env, status, set } = useHistorySettings();
  if (!container && !project) return null;
  const s = status.data;
  const saved = !!s && (s.all || (container ? s.containers.includes(container) : s.projects.includes(project!)));
  const on = set.isPending && set.variables ? set.variables.enabled : saved;
  const usage = s?.usage.filter((u) => (container ? u.container === container : u.project === project)) ?? [];
  const used = usage.reduce((n, u) => n + u.bytes, 0);
  return (
    <span className="log-history">
      <label className="log-check" title={s?.all ? "Berth keeps history for all containers" : undefined}>
        <input
          type="checkbox"
          checked={on}
          disabled={!s || s.all || set.isPending}
          onChange={(e) => set.mutate({ env, ...(container ? { container } : { project }), enabled: e.target.checked })}
        />{" "}
        Keep history
      </label>
      {s && (on || used > 0) && (
        <span className="muted small" data-testid="history-usage">
          {mb(used)} of {mb(s.perContainerCap)} per container · all: {mb(s.totalBytes)} of {mb(s.totalCap)}
        </span>
      )}
      {set.error && <span className="error small">{errorMessage(set.error)}</span>}
    </span>
  );
}

/** Berth-wide: keep the history of every container (caps still apply). */
export function KeepAllHistory() {
  const { env, status, set } = useHistorySettings();
  const s = status.data;
  return (
    <p className="log-history">
      <label className="log-check">
        <input
          type="checkbox"
          checked={set.isPending && set.variables ? set.variables.enabled : !!s?.all}
          disabled={!s || set.isPending}
          onChange={(e) => set.mutate({ env, all: true, enabled: e.target.checked })}
        />{" "}
        Keep history for all containers
      </label>
      {s && (
        <span className="muted small">
          recorded: {mb(s.totalBytes)} of {mb(s.totalCap)} (at most {mb(s.perContainerCap)} per container, oldest dropped first)
        </span>
      )}
    </p>
  );
}
