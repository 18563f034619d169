"use client";
/**
 * A table body that renders only the rows near the viewport (the page scrolls,
 * not the table), with spacer rows above and below so the scrollbar and the
 * columns stay as if every row were there. Rows are measured as they render,
 * so rows of different heights (wrapped ports, a status line) scroll true.
 */
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";

export interface VirtualBodyProps<T> {
  items: T[];
  getKey: (item: T) => string;
  /** One row (`<tr>`), given the attributes the virtualiser measures it by. */
  renderRow: (item: T, measure: { ref: (el: Element | null) => void; "data-index": number }) => ReactNode;
  colSpan: number;
  estimateSize?: number;
  /** Rows kept beyond each edge of the viewport. */
  overscan?: number;
  /** Shown when there are no items. */
  empty?: ReactNode;
  /** Told which items are rendered (first, last index), e.g. to fetch what only those rows show. */
  onRangeChange?: (first: number, last: number) => void;
}

export function VirtualBody<T>({ items, getKey, renderRow, colSpan, estimateSize = 52, overscan = 25, empty, onRangeChange }: VirtualBodyProps<T>) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  // Where the body starts in the page: anything above it (a bulk bar, results) moves it.
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const top = (bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    if (Math.abs(top - scrollMargin) > 1) setScrollMargin(top);
  });
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: () => estimateSize,
    overscan,
    scrollMargin,
    getItemKey: (i) => getKey(items[i]),
  });
  const rows = virtualizer.getVirtualItems();
  const before = rows.length ? rows[0].start - scrollMargin : 0;
  const after = rows.length ? virtualizer.getTotalSize() - (rows[rows.length - 1].end - scrollMargin) : 0;
  const first = rows.length ? rows[0].index : 0;
  const last = rows.length ? rows[rows.length - 1].index : -1;
  useEffect(() => onRangeChange?.(first, last), [first, last, onRangeChange]);

  return (
    <tbody ref={bodyRef}>
      {before > 0 && <Spacer height={before} colSpan={colSpan} />}
      {rows.map((v) => renderRow(items[v.index], { ref: virtualizer.measureElement, "data-index": v.index }))}
      {after > 0 && <Spacer height={after} colSpan={colSpan} />}
      {items.length === 0 && empty ? (
        <tr>
          <td colSpan={colSpan} className="muted">{empty}</td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** Stands in for the rows not rendered (an empty <tr> would collapse to nothing). */
function Spacer({ height, colSpan }: { height: number; colSpan: number }) {
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={colSpan} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}
