"use client";
/**
 * Images (`docker images`): every image with its tags, size, age and the
 * containers using it, Unused and Dangling flagged; filter by name and usage;
 * Pull, Build, Load, Import and Prune from here. Refetched when the engine
 * reports an image event or a container created or removed.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { ImagesTable, type UsageFilter } from "~/app/_features/images/images-table";
import { useObjectEvents } from "~/app/_lib/use-object-events";
import { PullImageButton } from "~/app/_features/tasks/pull-dialog";
import { PruneButton } from "~/app/_features/prune/prune-button";

const USAGE: [UsageFilter, string][] = [
  ["all", "All images"],
  ["used", "Used"],
  ["unused", "Unused"],
  ["dangling", "Dangling"],
];

export default function ImagesPage() {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const images = useQuery(trpc.images.list.queryOptions({ env }));
  const [filter, setFilter] = useState("");
  const [usage, setUsage] = useState<UsageFilter>("all");
  useObjectEvents(env, "image", () => void images.refetch());

  return (
    <section aria-labelledby="images-title">
      <div className="page-head">
        <h1 id="images-title">Images</h1>
        <div className="filters">
          <input type="search" aria-label="Filter by name" placeholder="Filter by name or id" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <select aria-label="Usage" value={usage} onChange={(e) => setUsage(e.target.value as UsageFilter)}>
            {USAGE.map(([v, label]) => (
              <option key={v} value={v}>{label}</option>
            ))}
          </select>
          <PullImageButton env={env} />
          {can("image.build") && <Link className="button" href={envPath(env, "/images/build")} title="docker build">Build image</Link>}
          {can("image.load") && <Link className="button" href={envPath(env, "/images/load")} title="docker load">Load</Link>}
          {can("image.load") && <Link className="button" href={envPath(env, "/images/import")} title="docker import">Import</Link>}
          <PruneButton env={env} kind="images" />
        </div>
      </div>
      {images.error ? (
        <p className="error" role="alert">{errorMessage(images.error)}</p>
      ) : images.isLoading ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <ImagesTable env={env} images={images.data ?? []} filter={filter} usage={usage} />
          <p className="muted small">
            {images.data?.length ?? 0} images, {(images.data ?? []).filter((i) => i.unused).length} unused, {(images.data ?? []).filter((i) => i.dangling).length} dangling.
          </p>
        </>
      )}
    </section>
  );
}
