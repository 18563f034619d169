/**
 * What a stream shows a user who sees only some objects (`own` access): the
 * frames about the others are dropped or cut down here. Under `all` access the
 * channels pass the runtime's bytes on untouched and never come here.
 */
import type { Access } from "./authorize";
import type { ResourceType } from "../api/permissions";

interface BriefEvent {
  type?: unknown;
  id?: unknown;
  attributes?: Record<string, string>;
}

/** Docker event types whose objects have owners; other types (images, the daemon) are not filtered. */
const OWNED_TYPES: Record<string, ResourceType | "admins"> = {
  container: "container",
  network: "network",
  volume: "volume",
  // Swarm objects have no Berth ownership yet: administrators (and whole-environment roles) only.
  service: "admins",
  node: "admins",
  secret: "admins",
  config: "admins",
};

export function eventVisible(access: Access, e: BriefEvent): boolean {
  if (access.scope === "all") return true;
  const owned = typeof e.type === "string" ? OWNED_TYPES[e.type] : undefined;
  if (!owned) return true;
  if (owned === "admins" || typeof e.id !== "string") return false;
  return access.sees(owned, e.id, e.attributes);
}

/** An events frame as the runtime sent it, re-encoded with only what the user may see; null: nothing left to send. */
export function filterEventsFrame(access: Access, json: Buffer | string): string | null {
  const frame = JSON.parse(json.toString()) as { type: string; event?: BriefEvent; events?: BriefEvent[] };
  if (frame.type === "event") return frame.event && eventVisible(access, frame.event) ? json.toString() : null;
  if (frame.type === "history") return JSON.stringify({ ...frame, events: (frame.events ?? []).filter((e) => eventVisible(access, e)) });
  return json.toString();
}

/** A stats `all` frame with only the containers the user may see (`labels` from the live list). */
export function filterStatsAll(access: Access, json: Buffer, labelsOf: (id: string) => Record<string, string> | undefined): string {
  const frame = JSON.parse(json.toString()) as { type: string; stats?: Record<string, unknown> };
  if (frame.type !== "all" || !frame.stats) return json.toString();
  const stats: Record<string, unknown> = {};
  for (const [id, v] of Object.entries(frame.stats)) if (access.sees("container", id, labelsOf(id))) stats[id] = v;
  return JSON.stringify({ ...frame, stats });
}
