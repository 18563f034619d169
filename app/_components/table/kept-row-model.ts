/**
 * TanStack Table's core and sorted row models, for flat data, keeping Row
 * objects. TanStack's own core model makes a new Row (some forty closures and
 * their caches) for every item whenever the data array changes, and its sorted
 * model copies every Row (`{ ...row }`) on every sort: with a thousand
 * containers in a live list that was megabytes of garbage per update, and the
 * page's longest pauses were its collections. Here a row whose item is the same
 * object as before is the same Row, and sorting orders the Rows themselves.
 * No sub-rows, `sortUndefined` or `invertSorting`: the lists here use none.
 */
import { createRow, type Row, type RowData, type RowModel, type Table } from "@tanstack/react-table";

export function getKeptCoreRowModel<T extends RowData>(): (table: Table<T>) => () => RowModel<T> {
  return (table) => {
    let data: readonly T[] | undefined;
    let model: RowModel<T> = { rows: [], flatRows: [], rowsById: {} };
    let kept = new Map<string, Row<T>>();
    return () => {
      if (table.options.data === data) return model;
      data = table.options.data;
      const rows: Row<T>[] = [];
      const byId = new Map<string, Row<T>>();
      data.forEach((original, i) => {
        const id = table.options.getRowId ? table.options.getRowId(original, i) : String(i);
        let row = kept.get(id);
        if (row && row.original === original) row.index = i;
        else row = createRow(table, id, original, i, 0);
        rows.push(row);
        byId.set(id, row);
      });
      kept = byId;
      model = { rows, flatRows: rows, rowsById: Object.fromEntries(byId) };
      return model;
    };
  };
}

/** Sorts by the table's sorting state with each column's sortingFn; ties keep the data's order. */
export function getKeptSortedRowModel<T extends RowData>(): (table: Table<T>) => () => RowModel<T> {
  return (table) => {
    let last: { sorting: unknown; input: RowModel<T>; model: RowModel<T> } | undefined;
    return () => {
      const sorting = table.getState().sorting;
      const input = table.getPreSortedRowModel();
      if (last && last.sorting === sorting && last.input === input) return last.model;
      const by = sorting.flatMap((s) => {
        const column = table.getColumn(s.id);
        return column?.getCanSort() ? [{ id: s.id, desc: s.desc, fn: column.getSortingFn() }] : [];
      });
      let model = input;
      if (by.length && input.rows.length) {
        const rows = input.rows.slice().sort((a, b) => {
          for (const s of by) {
            const n = s.fn(a, b, s.id);
            if (n !== 0) return s.desc ? -n : n;
          }
          return a.index - b.index;
        });
        model = { rows, flatRows: rows, rowsById: input.rowsById };
      }
      last = { sorting, input, model };
      return model;
    };
  };
}
