"use client";
/**
 * The containers table: TanStack Table does filtering, sorting, column visibility
 * and selection; only the rows near the viewport are in the DOM (VirtualBody), so a
 * thousand containers cost what a screenful does. Grouping by stack splits the
 * sorted rows into one block per compose project, stacks by name, loose ones last.
 */
import {
  flexRender, getFilteredRowModel, useReactTable,
  type Column, type Row, type RowSelectionState, type Updater,
} from "@tanstack/react-table";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { getKeptCoreRowModel, getKeptSortedRowModel } from "~/app/_components/table/kept-row-model";
import { SortHeader } from "~/app/_components/table/sort-header";
import { VirtualBody } from "~/app/_components/table/virtual-body";
import { RestartCountsContext } from "./list-cells";
import { STACK_LABEL, useContainerColumns, type CellMeta, type ContainerColumn, type ListView } from "./list-columns";
import { useRestartCounts } from "./list-restart-counts";
import { LiveStatsContext, useLiveStats, useLiveStatsVersion } from "../stats/live-stats";

type Item = { kind: "group"; stack: string; count: number } | { kind: "row"; row: Row<ContainerSummary> };

const apply = <T,>(u: Updater<T>, old: T): T => (typeof u === "function" ? (u as (o: T) => T)(old) : u);

function groupByStack(rows: Row<ContainerSummary>[]): Item[] {
  const by = new Map<string, Row<ContainerSummary>[]>();
  for (const r of rows) {
    const s = r.original.labels[STACK_LABEL] ?? "";
    const list = by.get(s);
    if (list) list.push(r);
    else by.set(s, [r]);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)))
    .flatMap(([stack, list]): Item[] => [{ kind: "group", stack, count: list.length }, ...list.map((row) => ({ kind: "row" as const, row }))]);
}

export interface ContainersTableProps {
  env: string;
  containers: ContainerSummary[];
  /** Matches names and images, case-insensitively. */
  filter: string;
  /** A container state, or "all". */
  state: string;
  view: ListView;
  onViewChange: (v: ListView) => void;
  selection: RowSelectionState;
  onSelectionChange: (s: RowSelectionState) => void;
}

export function ContainersTable({ env, containers, filter, state, view, onViewChange, selection, onSelectionChange }: ContainersTableProps) {
  const [range, setRange] = useState<[number, number]>([0, -1]);
  const showRestarts = !view.hidden.includes("restarts");
  const { counts, want } = useRestartCounts(env);
  // The sort by restart count reads the counts through this; arriving counts re-sort
  // only when the list is sorted by them (a new `sorting` array is what re-sorts).
  // Set during render, before the table sorts in this same render.
  const countsRef = useRef(counts);
  countsRef.current = counts;
  // CPU and memory of every running container, one frame a second, while either column shows.
  const stats = useLiveStats(env, !view.hidden.includes("cpu") || !view.hidden.includes("memory"));
  const dataColumns = useContainerColumns(env, countsRef, stats);
  const byRestarts = view.sorting[0]?.id === "restarts" ? counts : undefined;
  // Sorted by a live figure: re-sorted with every frame (otherwise frames re-render only their cells).
  const byStats = useLiveStatsVersion(stats, view.sorting[0]?.id === "cpu" || view.sorting[0]?.id === "memory");
  const sorting = useMemo(() => [...view.sorting], [view.sorting, byRestarts, byStats]);

  const columns = useMemo((): ContainerColumn[] => [
    {
      id: "select",
      enableSorting: false,
      enableHiding: false,
      header: ({ table }) => {
        const shown = table.getFilteredRowModel().rows;
        const allShown = shown.length > 0 && shown.every((r) => r.getIsSelected());
        return (
          <input
            type="checkbox"
            aria-label="Select all shown"
            checked={allShown}
            onChange={() => table.setRowSelection(allShown ? {} : Object.fromEntries(shown.map((r) => [r.id, true])))}
          />
        );
      },
      cell: ({ row }) => (
        <input type="checkbox" aria-label={`Select ${row.original.name}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
      ),
    },
    ...dataColumns,
  ], [dataColumns]);

  const columnFilters = useMemo(() => (state === "all" ? [] : [{ id: "state", value: state }]), [state]);
  const columnVisibility = useMemo(() => Object.fromEntries(view.hidden.map((k) => [k, false])), [view.hidden]);

  const table = useReactTable({
    data: containers,
    columns,
    getRowId: (c) => c.id,
    state: { sorting, columnVisibility, columnFilters, globalFilter: filter, rowSelection: selection },
    onSortingChange: (u) => onViewChange({ ...view, sorting: apply(u, view.sorting) }),
    onRowSelectionChange: (u) => onSelectionChange(apply(u, selection)),
    enableSortingRemoval: false,
    enableMultiSort: false,
    globalFilterFn: (row, _columnId, value: string) => {
      const f = value.trim().toLowerCase();
      return !f || row.original.name.toLowerCase().includes(f) || row.original.image.toLowerCase().includes(f);
    },
    getColumnCanGlobalFilter: (column) => column.id === "name",
    defaultColumn: { filterFn: "equalsString" },
    getCoreRowModel: getKeptCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getKeptSortedRowModel(),
  });

  const rows = table.getRowModel().rows;
  const items = useMemo((): Item[] => (view.groupByStack ? groupByStack(rows) : rows.map((row) => ({ kind: "row", row }))), [rows, view.groupByStack]);
  const visibleColumns = table.getVisibleLeafColumns();
  const colCount = visibleColumns.length;

  // The containers on screen, for what only they show (restart counts).
  const onRangeChange = useCallback((first: number, last: number) => setRange([first, last]), []);
  const onScreen = items.slice(range[0], range[1] + 1).flatMap((i) => (i.kind === "row" ? [i.row.original] : []));
  const onScreenKey = onScreen.map((c) => `${c.id}:${c.status}`).join("|");
  useEffect(() => {
    if (showRestarts) want(onScreen);
    // The key stands for `onScreen`: a new array with the same rows and statuses asks nothing.
  }, [onScreenKey, showRestarts, want]);

  return (
    <RestartCountsContext.Provider value={counts}>
    <LiveStatsContext.Provider value={stats}>
    <table className="table" aria-label="Containers" aria-rowcount={items.length + 1}>
      <thead>
        {table.getHeaderGroups().map((g) => (
          <tr key={g.id}>
            {g.headers.map((h) => <SortHeader key={h.id} header={h} />)}
          </tr>
        ))}
      </thead>
      <VirtualBody
        items={items}
        colSpan={colCount}
        getKey={(i) => (i.kind === "group" ? `group:${i.stack}` : i.row.id)}
        onRangeChange={onRangeChange}
        empty="No containers match."
        renderRow={(item, measure) =>
          item.kind === "group" ? (
            <tr key={`group:${item.stack}`} {...measure} aria-rowindex={measure["data-index"] + 2} className="group-row" data-stack={item.stack || "none"}>
              <th colSpan={colCount} scope="rowgroup">
                {item.stack ? `Stack ${item.stack}` : "Not in a stack"} <span className="muted small">({item.count})</span>
              </th>
            </tr>
          ) : (
            <ContainerRow
              key={item.row.id}
              row={item.row}
              index={measure["data-index"]}
              measureRef={measure.ref}
              selected={item.row.getIsSelected()}
              columns={visibleColumns}
            />
          )
        }
      />
    </table>
    </LiveStatsContext.Provider>
    </RestartCountsContext.Provider>
  );
}

interface ContainerRowProps {
  row: Row<ContainerSummary>;
  index: number;
  measureRef: (el: Element | null) => void;
  selected: boolean;
  /** The visible columns: a new array when they or their definitions change. */
  columns: Column<ContainerSummary>[];
}

/**
 * One container's row. The table makes new Row objects whenever any container
 * changes; a row whose container, place, selection and columns are the same is
 * not rendered again (its actions hold four mutations each: the cost of a render).
 */
const ContainerRow = memo(
  function ContainerRow({ row, index, measureRef }: ContainerRowProps) {
    return (
      <tr ref={measureRef} data-index={index} data-container={row.original.name} aria-rowindex={index + 2}>
        {row.getVisibleCells().map((cell) => {
          const meta = cell.column.columnDef.meta as CellMeta | undefined;
          return (
            <td key={cell.id} data-testid={meta?.testId} className={meta?.className} title={meta?.title?.(cell.row.original)}>
              {flexRender(cell.column.columnDef.cell, cell.getContext())}
            </td>
          );
        })}
      </tr>
    );
  },
  (a, b) => a.row.original === b.row.original && a.index === b.index && a.selected === b.selected && a.columns === b.columns && a.measureRef === b.measureRef,
);
