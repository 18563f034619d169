"use client";
/**
 * A column header of a TanStack table: a button that sorts by the column, with
 * the state in `aria-sort` on the header cell (what a screen reader announces).
 * The arrow is hidden from the accessible name, so the header is named by its label.
 */
import { flexRender, type Header } from "@tanstack/react-table";

const ARIA = { asc: "ascending", desc: "descending" } as const;

export function SortHeader<T>({ header }: { header: Header<T, unknown> }) {
  const col = header.column;
  const label = header.isPlaceholder ? null : flexRender(col.columnDef.header, header.getContext());
  if (!col.getCanSort()) return <th scope="col">{label}</th>;
  const dir = col.getIsSorted();
  const next = col.getNextSortingOrder();
  return (
    <th scope="col" aria-sort={dir ? ARIA[dir] : "none"}>
      <button
        type="button"
        className="sort-button"
        onClick={col.getToggleSortingHandler()}
        title={next ? `Sort ${ARIA[next]}` : undefined}
      >
        {label}
        <span aria-hidden="true" className="sort-arrow">{dir === "asc" ? " ▲" : dir === "desc" ? " ▼" : ""}</span>
      </button>
    </th>
  );
}
