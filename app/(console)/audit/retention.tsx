"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";

/** How long entries are kept; older ones are dropped, and a checkpoint entry records the drop. */
export function RetentionSetting() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.audit.retention.queryOptions());
  const [days, setDays] = useState<string>("");
  const save = useMutation(
    trpc.audit.setRetention.mutationOptions({
      onSuccess: () => {
        setDays("");
        // The retention and the list (the change is an entry of its own).
        void qc.invalidateQueries({ queryKey: trpc.audit.pathKey() });
      },
    }),
  );
  const c = current.data;
  return (
    <details>
      <summary>Retention{c ? `: ${c.days} days` : ""}</summary>
      <form
        aria-label="Audit retention"
        style={{ display: "flex", gap: "0.5rem", alignItems: "end", marginTop: "0.5rem" }}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ days: Number(days) });
        }}
      >
        <label className="field">
          <span>Keep entries for (days)</span>
          <input type="number" inputMode="numeric" min={c?.minDays ?? 1} max={c?.maxDays ?? 3650} step={1} required value={days} placeholder={c ? String(c.days) : ""} onChange={(e) => setDays(e.target.value)} />
        </label>
        <button type="submit" disabled={save.isPending || !days}>
          Save retention
        </button>
      </form>
      <p className="muted">Older entries are dropped every few hours; a checkpoint entry records what was dropped, so Verify still holds. Default {c?.defaultDays ?? 365} days.</p>
      {save.error ? <p role="alert" className="error">{errorMessage(save.error)}</p> : null}
    </details>
  );
}
