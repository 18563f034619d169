"use client";
/**
 * The containers table: TanStack Table does filtering, sorting, column visibility
 * and selection; only the rows near the viewport are in the DOM (VirtualBody), so a
 * thousand containers cost what a screenful does. Grouping by stack splits the
 * sorted rows into one block per compose project, stacks by name, loose ones last.
 */
import {
  flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable,
  type Row, type RowSelectionState, type Updater,
} from "@tanstack/react-table";
import { useCallback, useMemo, useState } from "react";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { SortHeader } from "~/app/_components/table/sort-header";
import { VirtualBody } from "~/app/_components/table/virtual-body";
import { STACK_LABEL, useContainerColumns, type CellMeta, type ContainerColumn, type ListView } from "./list-columns";
import { useRestartCounts } from "./list-restart-counts";

type Item = { kind: "group"; stack: string; count: number } | { kind: "row"; row: Row<ContainerSummary> };

const apply = <T,>(u: Updater<T>, old: T): T => (typeof u === "function" ? (u as (o: T) => T)(old) : u);

function groupByStack(rows: Row<ContainerSummary>[]): Item[] {
  const by = new Map<string, Row<ContainerSummary>[]>();
  for (const r of rows) {
    const s = r.original.labels[STACK_LABEL] ?? "";
    by.set(s, [...(by.get(s) ?? []), r]);
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
  const [visible, setVisible] = useState<ContainerSummary[]>([]);
  const showRestarts = !view.hidden.includes("restarts");
  const restartCounts = useRestartCounts(env, visible, showRestarts);
  const dataColumns = useContainerColumns(env, restartCounts);

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
    state: { sorting: view.sorting, columnVisibility, columnFilters, globalFilter: filter, rowSelection: selection },
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
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  const rows = table.getRowModel().rows;
  const items = useMemo((): Item[] => (view.groupByStack ? groupByStack(rows) : rows.map((row) => ({ kind: "row", row }))), [rows, view.groupByStack]);
  const colCount = table.getVisibleLeafColumns().length;

  // The containers on screen, for what only they show (restart counts): kept from the
  // last render, as the columns that show them are built before the rows are known.
  const onRangeChange = useCallback((first: number, last: number) => setRange([first, last]), []);
  const onScreen = items.slice(range[0], range[1] + 1).flatMap((i) => (i.kind === "row" ? [i.row.original] : []));
  const onScreenKey = onScreen.map((c) => `${c.id}:${c.status}`).join("|");
  const visibleKey = visible.map((c) => `${c.id}:${c.status}`).join("|");
  if (onScreenKey !== visibleKey) setVisible(onScreen);

  return (
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
            <tr key={item.row.id} {...measure} data-container={item.row.original.name} aria-rowindex={measure["data-index"] + 2}>
              {item.row.getVisibleCells().map((cell) => {
                const meta = cell.column.columnDef.meta as CellMeta | undefined;
                return (
                  <td key={cell.id} data-testid={meta?.testId} className={meta?.className} title={meta?.title?.(cell.row.original)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                );
              })}
            </tr>
          )
        }
      />
    </table>
  );
}
