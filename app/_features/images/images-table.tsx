"use client";
/**
 * The images table (`docker images`, one row per image with all its tags):
 * TanStack Table sorts and filters; Unused and Dangling are badges, and the
 * Containers column names who uses the image. Remove opens the dialog that
 * offers untagging one tag or removing the image. Selected images are saved
 * into one tar (`docker save a b`).
 */
import {
  type ColumnDef, flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, type SortingState, useReactTable,
} from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { ImageSummary } from "~/runtime/images/protocol";
import { SortHeader } from "~/app/_components/table/sort-header";
import { envPath } from "~/app/_lib/env-path";
import { formatBytes, timeAgo } from "~/app/_lib/format";
import { useCanIn } from "~/app/_lib/use-can";
import { RemoveImageDialog } from "./remove-dialog";
import { imageLabel, shortId } from "./image-names";
import { saveUrl } from "./upload";

export type UsageFilter = "all" | "used" | "unused" | "dangling";

export { imageLabel, shortId } from "./image-names";

export function ImageBadges({ image }: { image: Pick<ImageSummary, "unused" | "dangling"> }) {
  return (
    <>
      {image.dangling && <span className="badge badge-dangling" title="No tag: an old build's or pull's leftover">Dangling</span>}
      {image.unused && <span className="badge badge-unused" title="No container uses it">Unused</span>}
    </>
  );
}

export function ImagesTable({ env, images, filter, usage }: { env: string; images: ImageSummary[]; filter: string; usage: UsageFilter }) {
  const can = useCanIn(env);
  const [sorting, setSorting] = useState<SortingState>([{ id: "created", desc: true }]);
  const [removing, setRemoving] = useState<ImageSummary>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const columns = useMemo((): ColumnDef<ImageSummary>[] => [
    {
      id: "select",
      header: "",
      enableSorting: false,
      cell: ({ row }) => (
        <input type="checkbox" aria-label={`Select ${imageLabel(row.original)}`} checked={selected.has(row.original.id)} onChange={(e) => toggle(row.original.id, e.currentTarget.checked)} />
      ),
    },
    {
      id: "tags",
      header: "Repository:Tag",
      accessorFn: (i) => imageLabel(i),
      cell: ({ row }) => {
        const i = row.original;
        return (
          <div className="image-tags">
            <Link href={envPath(env, `/images/${encodeURIComponent(i.id)}`)} aria-label={`Image ${imageLabel(i)}`}>
              {i.tags.length ? i.tags[0] : <span className="muted">&lt;none&gt;:&lt;none&gt;</span>}
            </Link>
            {i.tags.slice(1).map((t) => (
              <div key={t} className="small">{t}</div>
            ))}
          </div>
        );
      },
    },
    { id: "id", header: "ID", accessorFn: (i) => shortId(i.id), cell: ({ getValue }) => <code>{getValue<string>()}</code> },
    { id: "size", header: "Size", accessorFn: (i) => i.size, cell: ({ getValue }) => formatBytes(getValue<number>()) },
    { id: "created", header: "Created", accessorFn: (i) => i.created, cell: ({ getValue }) => <span title={new Date(getValue<number>() * 1000).toISOString()}>{timeAgo(getValue<number>())}</span> },
    {
      id: "containers",
      header: "Containers",
      accessorFn: (i) => i.containers.length,
      cell: ({ row }) => {
        const cs = row.original.containers;
        if (!cs.length) return <span className="muted">0</span>;
        return (
          <span title={cs.map((c) => `${c.name} (${c.state})`).join("\n")}>
            {cs.length}:{" "}
            {cs.slice(0, 3).map((c, n) => (
              <span key={c.id}>
                {n > 0 && ", "}
                <Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link>
              </span>
            ))}
            {cs.length > 3 && ` +${cs.length - 3}`}
          </span>
        );
      },
    },
    { id: "flags", header: "", enableSorting: false, cell: ({ row }) => <ImageBadges image={row.original} /> },
    {
      id: "actions",
      header: "Actions",
      enableSorting: false,
      cell: ({ row }) =>
        can("image.remove") ? (
          <button type="button" className="danger small" aria-label={`Remove ${imageLabel(row.original)}`} onClick={() => setRemoving(row.original)}>
            Remove
          </button>
        ) : null,
    },
  ], [env, can, selected]);

  const table = useReactTable({
    data: images,
    columns,
    getRowId: (i) => i.id,
    state: { sorting, globalFilter: `${usage}\u0000${filter}` },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
    globalFilterFn: (row, _col, value: string) => {
      const [u, f] = value.split("\u0000") as [UsageFilter, string];
      const i = row.original;
      if (u === "used" && i.unused) return false;
      if (u === "unused" && !i.unused) return false;
      if (u === "dangling" && !i.dangling) return false;
      const text = f.trim().toLowerCase();
      return !text || i.tags.some((t) => t.toLowerCase().includes(text)) || i.id.replace(/^sha256:/, "").startsWith(text);
    },
    getColumnCanGlobalFilter: (c) => c.id === "tags",
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const rows = table.getRowModel().rows;
  // Saved by their first tag (so the tar loads with its names), else by id; only images still listed.
  const chosen = images.filter((i) => selected.has(i.id));

  return (
    <>
      {can("image.save") && chosen.length > 0 && (
        <p className="bulk-bar" aria-label="Selected images">
          {chosen.length} selected:{" "}
          <a className="button" href={saveUrl(env, chosen.map((i) => i.tags[0] ?? i.id))} download title={`docker save ${chosen.map(imageLabel).join(" ")}`}>
            Save {chosen.length === 1 ? "1 image" : `${chosen.length} images`}
          </a>{" "}
          <button type="button" onClick={() => setSelected(new Set())}>Clear selection</button>
        </p>
      )}
      <table className="table" aria-label="Images">
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => <SortHeader key={h.id} header={h} />)}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">No images match.</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.id} data-image={imageLabel(r.original)}>
                {r.getVisibleCells().map((c) => (
                  <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {removing && <RemoveImageDialog env={env} image={removing} onClose={() => setRemoving(undefined)} />}
    </>
  );
}
