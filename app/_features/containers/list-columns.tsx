"use client";
/**
 * The containers list's columns (TanStack Table definitions: cell, sort order)
 * and the view a user keeps: hidden columns, sort, grouping by stack. The view is
 * kept in this browser's localStorage under the signed-in user's id, so two
 * people sharing a browser profile each get their own.
 */
import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, type ColumnDef, type SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { timeAgo } from "~/app/_lib/format";
import { envPath } from "~/app/_lib/env-path";
import { useTRPC } from "~/app/_lib/trpc";
import { CpuCell, MemoryCell } from "../stats/live-stats";
import type { StatsBrief } from "~/runtime/stats/protocol";
import { ContainerActions } from "./container-actions";
import { Ports, RestartsCell, firstIp, firstPublicPort } from "./list-cells";

export const STACK_LABEL = "com.docker.compose.project";

/** The columns a user may hide (Name and the selection box always show). */
export const COLUMNS = [
  { key: "state", label: "State" },
  { key: "health", label: "Health" },
  { key: "restarts", label: "Restarts" },
  { key: "cpu", label: "CPU" },
  { key: "memory", label: "Memory" },
  { key: "stack", label: "Stack" },
  { key: "image", label: "Image" },
  { key: "created", label: "Created" },
  { key: "ports", label: "Ports" },
  { key: "ip", label: "IP" },
  { key: "actions", label: "Actions" },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]["key"];

// One collator each, made once: localeCompare with options builds a collator per call,
// and a thousand rows sort in some ten thousand calls.
const nameOrder = new Intl.Collator();
const textOrder = new Intl.Collator(undefined, { numeric: true });
const byName = (a: ContainerSummary, b: ContainerSummary) => nameOrder.compare(a.name, b.name);
const text = (a: string, b: string) => textOrder.compare(a, b);
const stackOf = (c: ContainerSummary) => c.labels[STACK_LABEL] ?? "";
const none = <span className="muted">—</span>;

const col = createColumnHelper<ContainerSummary>();

/** A column of any value type: TanStack's own idiom for a mixed list of accessor columns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ContainerColumn = ColumnDef<ContainerSummary, any>;

/**
 * Every sortable column breaks ties by name, so equal values (a second's worth of
 * creations, the same image) have a fixed order, and the other direction is its reverse.
 */
export function useContainerColumns(
  env: string,
  restartCounts: { readonly current: Record<string, number> },
  stats: { readonly current: Record<string, StatsBrief> } = { current: {} },
) {
  // Not running (no figures) sorts below any running container, in either direction's reverse.
  const cpuOf = (c: ContainerSummary) => stats.current[c.id]?.[0] ?? -1;
  const memOf = (c: ContainerSummary) => stats.current[c.id]?.[1] ?? -1;
  return useMemo(
    (): ContainerColumn[] =>
      [
        col.accessor("name", {
          id: "name",
          header: "Name",
          sortingFn: (a, b) => byName(a.original, b.original),
          enableHiding: false,
          cell: ({ row: { original: c } }) => <Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link>,
        }),
        col.accessor("state", {
          id: "state",
          header: "State",
          sortingFn: (a, b) => text(a.original.state, b.original.state) || byName(a.original, b.original),
          cell: ({ row: { original: c } }) => (
            <>
              <span className={`state state-${c.state}`} data-testid="state">{c.state}</span>
              <div className="muted small">{c.status}</div>
            </>
          ),
        }),
        col.accessor((c) => c.health ?? "", {
          id: "health",
          header: "Health",
          sortingFn: (a, b) => text(a.original.health ?? "", b.original.health ?? "") || byName(a.original, b.original),
          meta: { testId: "health" },
          cell: ({ row: { original: c } }) => (c.health ? <span className={`health health-${c.health}`}>{c.health}</span> : none),
        }),
        // The counts come after the rows (only those on screen are read): the sort reads
        // them when it runs, the cell from context, so their arrival rebuilds no column.
        col.accessor((c) => restartCounts.current[c.id] ?? -1, {
          id: "restarts",
          header: "Restarts",
          sortingFn: (a, b) => (restartCounts.current[a.original.id] ?? -1) - (restartCounts.current[b.original.id] ?? -1) || byName(a.original, b.original),
          meta: { testId: "restarts" },
          cell: ({ row: { original: c } }) => <RestartsCell id={c.id} />,
        }),
        // Live figures, like the restart counts: the sort reads the store when it runs, the cell subscribes to its own container.
        col.accessor(cpuOf, {
          id: "cpu",
          header: "CPU",
          sortingFn: (a, b) => cpuOf(a.original) - cpuOf(b.original) || byName(a.original, b.original),
          meta: { testId: "cpu", className: "num" },
          cell: ({ row: { original: c } }) => <CpuCell id={c.id} />,
        }),
        col.accessor(memOf, {
          id: "memory",
          header: "Memory",
          sortingFn: (a, b) => memOf(a.original) - memOf(b.original) || byName(a.original, b.original),
          meta: { testId: "memory", className: "num" },
          cell: ({ row: { original: c } }) => <MemoryCell id={c.id} />,
        }),
        col.accessor(stackOf, {
          id: "stack",
          header: "Stack",
          sortingFn: (a, b, id) => text(a.getValue<string>(id), b.getValue<string>(id)) || byName(a.original, b.original),
          cell: ({ row: { original: c } }) => c.labels[STACK_LABEL] ?? none,
        }),
        col.accessor("image", {
          id: "image",
          header: "Image",
          sortingFn: (a, b) => text(a.original.image, b.original.image) || byName(a.original, b.original),
          cell: ({ row: { original: c } }) => c.image,
        }),
        col.accessor("created", {
          id: "created",
          header: "Created",
          sortingFn: (a, b) => a.original.created - b.original.created || byName(a.original, b.original),
          meta: { title: (c: ContainerSummary) => new Date(c.created * 1000).toLocaleString() },
          cell: ({ row: { original: c } }) => timeAgo(c.created),
        }),
        col.accessor(firstPublicPort, {
          id: "ports",
          header: "Ports",
          sortingFn: (a, b, id) => a.getValue<number>(id) - b.getValue<number>(id) || byName(a.original, b.original),
          meta: { className: "ports" },
          cell: ({ row: { original: c } }) => <Ports c={c} />,
        }),
        col.accessor(firstIp, {
          id: "ip",
          header: "IP",
          sortingFn: (a, b, id) => text(a.getValue<string>(id), b.getValue<string>(id)) || byName(a.original, b.original),
          cell: ({ row: { original: c } }) => c.networks.map((n) => n.ip).filter(Boolean).join(", ") || none,
        }),
        col.display({
          id: "actions",
          header: "Actions",
          cell: ({ row: { original: c } }) => <ContainerActions c={c} />,
        }),
      ] as ContainerColumn[],
    // cpuOf/memOf read `stats` only.
    [env, restartCounts, stats],
  );
}

/** What a cell may ask of its <td>. */
export interface CellMeta {
  testId?: string;
  className?: string;
  title?: (c: ContainerSummary) => string;
}

export interface ListView {
  hidden: ColumnKey[];
  groupByStack: boolean;
  sorting: SortingState;
}

const DEFAULT_VIEW: ListView = { hidden: [], groupByStack: false, sorting: [{ id: "name", desc: false }] };
const SORTABLE = new Set(["name", ...COLUMNS.filter((c) => c.key !== "actions").map((c) => c.key)]);

const storageKey = (userId: string) => `berth.containers.view.${userId}`;

function readView(userId: string): ListView {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(userId)) ?? "null") as Partial<ListView> | null;
    if (!saved || typeof saved !== "object") return DEFAULT_VIEW;
    const hidden = Array.isArray(saved.hidden) ? saved.hidden.filter((k) => COLUMNS.some((c) => c.key === k)) : [];
    const sorting = Array.isArray(saved.sorting)
      ? saved.sorting.filter((s) => s && SORTABLE.has(s.id) && typeof s.desc === "boolean").slice(0, 1)
      : [];
    return { hidden, groupByStack: saved.groupByStack === true, sorting: sorting.length ? sorting : DEFAULT_VIEW.sorting };
  } catch {
    return DEFAULT_VIEW; // a damaged entry: the defaults
  }
}

/**
 * The signed-in user's view of the list. `ready` is false until the user is known
 * and the saved view read, so the list does not flash the default columns first.
 */
export function useListView(): { view: ListView; setView: (next: ListView) => void; ready: boolean } {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions());
  const userId = me.data?.id;
  const [state, setState] = useState<{ userId?: string; view: ListView }>({ view: DEFAULT_VIEW });
  useEffect(() => {
    if (userId) setState({ userId, view: readView(userId) });
  }, [userId]);
  const setView = (next: ListView) => {
    setState((s) => ({ ...s, view: next }));
    if (!userId) return;
    try {
      localStorage.setItem(storageKey(userId), JSON.stringify(next));
    } catch {
      // storage full or disabled: the choice lasts for this page only
    }
  };
  const ready = (userId !== undefined && state.userId === userId) || me.isError || (me.isSuccess && !userId);
  return { view: state.view, setView, ready };
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
