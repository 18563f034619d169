"use client";
/** The list's optional columns, switched on and off and remembered in localStorage. */
import { useEffect, useState } from "react";

export const COLUMNS = [
  { key: "state", label: "State" },
  { key: "health", label: "Health" },
  { key: "restarts", label: "Restarts" },
  { key: "stack", label: "Stack" },
  { key: "image", label: "Image" },
  { key: "created", label: "Created" },
  { key: "ports", label: "Ports" },
  { key: "ip", label: "IP" },
  { key: "actions", label: "Actions" },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]["key"];

const STORAGE_KEY = "berth.containers.view";

export interface ListView {
  hidden: ColumnKey[];
  groupByStack: boolean;
}

const DEFAULT_VIEW: ListView = { hidden: [], groupByStack: false };

/** Read after mount (the server render has no localStorage), written on every change. */
export function useListView(): [ListView, (next: ListView) => void] {
  const [view, setView] = useState<ListView>(DEFAULT_VIEW);
  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Partial<ListView> | null;
      if (saved) setView({ ...DEFAULT_VIEW, ...saved, hidden: (saved.hidden ?? []).filter((k) => COLUMNS.some((c) => c.key === k)) });
    } catch {
      // a damaged entry: keep the defaults
    }
  }, []);
  const update = (next: ListView) => {
    setView(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // storage full or disabled: the choice lasts for this page only
    }
  };
  return [view, update];
}

export function ColumnsMenu({ view, onChange }: { view: ListView; onChange: (v: ListView) => void }) {
  const toggle = (key: ColumnKey) =>
    onChange({ ...view, hidden: view.hidden.includes(key) ? view.hidden.filter((k) => k !== key) : [...view.hidden, key] });
  // The checkboxes exist only while the menu is open, so their labels ("State", "Image")
  // never compete with the page's own controls of the same name.
  const [open, setOpen] = useState(false);
  return (
    <details className="columns-menu" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Columns</summary>
      {open && (
        <fieldset className="menu">
          <legend className="muted small">Show columns</legend>
          {COLUMNS.map((c) => (
            <label key={c.key}>
              <input type="checkbox" checked={!view.hidden.includes(c.key)} onChange={() => toggle(c.key)} /> {c.label}
            </label>
          ))}
          <hr />
          <label>
            <input type="checkbox" checked={view.groupByStack} onChange={(e) => onChange({ ...view, groupByStack: e.target.checked })} /> Group by stack
          </label>
        </fieldset>
      )}
    </details>
  );
}
