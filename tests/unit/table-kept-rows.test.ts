/**
 * The lists' own row models (app/_components/table/kept-row-model.ts) must give
 * the rows TanStack's own would, in the same order, while keeping the Row of an
 * item that did not change (that is what spares a live list its garbage).
 */
import {
  createTable, getCoreRowModel, getSortedRowModel, type ColumnDef, type RowModel, type SortingState, type Table,
} from "@tanstack/react-table";
import { describe, expect, it } from "vitest";
import { getKeptCoreRowModel, getKeptSortedRowModel } from "../../app/_components/table/kept-row-model";

interface Item {
  id: string;
  name: string;
  n: number;
}

const columns: ColumnDef<Item, unknown>[] = [
  { id: "name", accessorKey: "name", sortingFn: (a, b) => a.original.name.localeCompare(b.original.name) },
  { id: "n", accessorKey: "n", sortingFn: (a, b, id) => a.getValue<number>(id) - b.getValue<number>(id) },
];

function table(data: Item[], sorting: SortingState, kept: boolean): Table<Item> {
  const t = createTable<Item>({
    data,
    columns,
    getRowId: (i) => i.id,
    state: { sorting },
    onStateChange: () => undefined,
    renderFallbackValue: null,
    getCoreRowModel: kept ? getKeptCoreRowModel() : getCoreRowModel(),
    getSortedRowModel: kept ? getKeptSortedRowModel() : getSortedRowModel(),
  });
  t.setOptions((o) => ({ ...o, state: { ...t.initialState, sorting } }));
  return t;
}

const ids = (m: RowModel<Item>) => m.rows.map((r) => r.id);

describe("kept row models", () => {
  it("sort like TanStack's own, ties in data order, both directions", () => {
    let seed = 11;
    const rand = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    for (let round = 0; round < 100; round++) {
      const data = Array.from({ length: rand(30) }, (_, i) => ({ id: `c${i}`, name: `n${rand(6)}`, n: rand(4) }));
      for (const sorting of [[], [{ id: "name", desc: false }], [{ id: "n", desc: true }], [{ id: "n", desc: false }]] as SortingState[]) {
        expect(ids(table(data, sorting, true).getRowModel())).toEqual(ids(table(data, sorting, false).getRowModel()));
      }
    }
  });

  it("keep the Row of an unchanged item and make a new one for a changed item", () => {
    const a = { id: "a", name: "alpha", n: 1 };
    const b = { id: "b", name: "beta", n: 2 };
    const t = table([a, b], [{ id: "n", desc: false }], true);
    const first = t.getRowModel();
    const b2 = { ...b, n: 0 };
    t.setOptions((o) => ({ ...o, data: [a, b2] }));
    const second = t.getRowModel();
    expect(second.rowsById.a).toBe(first.rowsById.a);
    expect(second.rowsById.b).not.toBe(first.rowsById.b);
    // The changed item's new value re-sorts it.
    expect(ids(second)).toEqual(["b", "a"]);
    expect(second.rowsById.b.getValue("n")).toBe(0);
    // Nothing changed: the same model, not a new sort.
    expect(t.getRowModel()).toBe(second);
  });

  it("give a kept Row its new place when items before it go", () => {
    const items = ["a", "b", "c"].map((id, n) => ({ id, name: id, n }));
    const t = table(items, [], true);
    const before = t.getRowModel().rowsById.c;
    t.setOptions((o) => ({ ...o, data: items.slice(1) }));
    const after = t.getRowModel();
    expect(after.rowsById.c).toBe(before);
    expect(after.rowsById.c.index).toBe(1);
    expect(ids(after)).toEqual(["b", "c"]);
  });
});
