"use client";
/**
 * The events table: TanStack Table for the columns, VirtualBody so only the rows
 * near the viewport are in the DOM (a view keeps up to 5,000). Newest first.
 */
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { VirtualBody } from "~/app/_components/table/virtual-body";
import { envPath } from "~/app/_lib/env-path";
import type { DockerEvent } from "~/runtime/protocol/index";
import type { EventRow } from "./use-event-stream";

type EventItem = Extract<EventRow, { kind: "event" }>;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The engine's stamp in local time, to the millisecond: events often come several in one second. */
export function formatStamp(timeNano: string): string {
  const d = new Date(Number(timeNano.slice(0, -6)));
  if (Number.isNaN(d.getTime())) return timeNano;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A name when the event has one; else a 64-hex id shortened as the CLI does. */
function objectLabel(e: DockerEvent): string {
  const name = e.name?.replace(/^\//, "");
  if (name) return name;
  return /^(sha256:)?[0-9a-f]{64}$/.test(e.id) ? e.id.replace(/^sha256:/, "").slice(0, 12) : e.id;
}

function attributesText(e: DockerEvent): string {
  return Object.entries(e.attributes)
    .filter(([k]) => k !== "name")
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

export function EventsTable({ env, rows }: { env: string; rows: EventRow[] }) {
  const events = useMemo(() => rows.filter((r): r is EventItem => r.kind === "event"), [rows]);
  const skipped = rows.filter((r) => r.kind === "skipped");
  const columns = useMemo(
    (): ColumnDef<EventItem>[] => [
      { id: "time", header: "Time", cell: ({ row }) => <time title={row.original.event.timeNano}>{formatStamp(row.original.event.timeNano)}</time> },
      { id: "type", header: "Type", cell: ({ row }) => row.original.event.type },
      { id: "action", header: "Action", cell: ({ row }) => row.original.event.action },
      {
        id: "object",
        header: "Object",
        cell: ({ row }) => {
          const e = row.original.event;
          const label = objectLabel(e);
          return e.type === "container" && e.id ? (
            <Link href={envPath(env, `/containers/${encodeURIComponent(e.id)}`)} title={e.id}>
              {label}
            </Link>
          ) : (
            <span title={e.id}>{label}</span>
          );
        },
      },
      {
        id: "attributes",
        header: "Attributes",
        cell: ({ row }) => {
          const text = attributesText(row.original.event);
          return (
            <span className="muted small event-attrs" title={text}>
              {text.length > 300 ? `${text.slice(0, 300)}…` : text}
            </span>
          );
        },
      },
    ],
    [env],
  );
  const table = useReactTable({ data: events, columns, getRowId: (r) => r.key, getCoreRowModel: getCoreRowModel() });
  const tableRows = table.getRowModel().rows;

  return (
    <>
      {skipped.length > 0 && (
        <p className="muted small" role="status">
          {skipped.reduce((n, s) => n + (s.kind === "skipped" ? s.count : 0), 0)} events were not shown: this tab fell behind. Choose a “Since” time to load them.
        </p>
      )}
      <table className="table" aria-label="Events" aria-rowcount={tableRows.length + 1}>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id} scope="col">
                  {flexRender(h.column.columnDef.header, h.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <VirtualBody
          items={tableRows}
          colSpan={columns.length}
          estimateSize={38}
          getKey={(r) => r.id}
          empty="No events yet."
          renderRow={(row, measure) => (
            <tr key={row.id} ref={measure.ref} data-index={measure["data-index"]} aria-rowindex={measure["data-index"] + 2} data-event-type={row.original.event.type}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          )}
        />
      </table>
    </>
  );
}
