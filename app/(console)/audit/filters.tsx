"use client";
import { OUTCOMES } from "./outcomes";

export interface AuditFilterForm {
  user: string;
  action: string;
  target: string;
  outcome: string;
  from: string;
  to: string;
}

export const emptyFilter: AuditFilterForm = { user: "", action: "", target: "", outcome: "", from: "", to: "" };

/** A `datetime-local` value (the browser's time zone) as ISO 8601, or undefined when empty or not a time. */
function iso(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/** The filter as the server takes it (tRPC input and export query alike): empty fields left out. */
export function filterInput(f: AuditFilterForm) {
  const out: Record<string, string> = {};
  if (f.user.trim()) out.user = f.user.trim();
  if (f.action.trim()) out.action = f.action.trim();
  if (f.target.trim()) out.target = f.target.trim();
  if (f.outcome) out.outcome = f.outcome;
  const from = iso(f.from);
  const to = iso(f.to);
  if (from) out.from = from;
  if (to) out.to = to;
  return out as { user?: string; action?: string; target?: string; outcome?: (typeof OUTCOMES)[number]; from?: string; to?: string };
}

export function AuditFilters({ value, onChange, fieldError }: { value: AuditFilterForm; onChange: (f: AuditFilterForm) => void; fieldError?: { field?: string; message: string } }) {
  const set = (k: keyof AuditFilterForm) => (e: { target: { value: string } }) => onChange({ ...value, [k]: e.target.value });
  const text = (k: "user" | "action" | "target", label: string, placeholder: string, max: number) => (
    <label className="field">
      <span>{label}</span>
      <input type="search" aria-label={`Filter by ${label.toLowerCase()}`} placeholder={placeholder} maxLength={max} value={value[k]} onChange={set(k)} aria-invalid={fieldError?.field === k} />
    </label>
  );
  return (
    <form role="search" aria-label="Filter audit entries" className="audit-filters" onSubmit={(e) => e.preventDefault()} style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end", marginBottom: "0.75rem" }}>
      {text("user", "User", "username starts with", 64)}
      {text("action", "Action", "e.g. container.", 100)}
      {text("target", "Target", "name, id, type or environment", 256)}
      <label className="field">
        <span>Outcome</span>
        <select aria-label="Filter by outcome" value={value.outcome} onChange={set("outcome")}>
          <option value="">any</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>From</span>
        <input type="datetime-local" aria-label="From time" value={value.from} onChange={set("from")} aria-invalid={fieldError?.field === "from"} />
      </label>
      <label className="field">
        <span>To</span>
        <input type="datetime-local" aria-label="To time" value={value.to} onChange={set("to")} aria-invalid={fieldError?.field === "to"} />
      </label>
      <button type="button" onClick={() => onChange(emptyFilter)}>
        Clear filters
      </button>
    </form>
  );
}
