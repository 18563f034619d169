"use client";
/**
 * The Prune button of a list page (images, volumes, networks, containers, build
 * cache) and of the engine page (system): opens a preview of exactly what would
 * be removed and the space reclaimed, then removes those items by id.
 * (A stub until the prune work lands: renders nothing.)
 */
export type PruneKind = "images" | "volumes" | "networks" | "containers" | "build-cache" | "system";

export function PruneButton(_props: { env: string; kind: PruneKind }) {
  return null;
}
