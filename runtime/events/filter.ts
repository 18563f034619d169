/**
 * Which events a view asked for: the same rules as `docker events --filter`,
 * as plain comparisons (no pattern a user writes is ever compiled). Within a
 * field the values are alternatives; the fields must all match. Pure.
 */
import type { DockerEvent } from "../engine/protocol";
import type { EventsParams } from "./protocol";

export type EventMatcher = (event: DockerEvent) => boolean;

/** An id given by its start needs this many characters, so "a" does not match half the engine. */
const MIN_ID_PREFIX = 3;

export function eventMatcher(params: Pick<EventsParams, "type" | "action" | "object" | "label">): EventMatcher {
  const types = params.type && new Set<string>(params.type);
  const actions = params.action && new Set(params.action);
  const objects = params.object;
  const labels = params.label?.map((l) => {
    const eq = l.indexOf("=");
    return eq < 0 ? { key: l } : { key: l.slice(0, eq), value: l.slice(eq + 1) };
  });
  return (e) => {
    if (types && !types.has(e.type)) return false;
    // `exec_start: sh -c …`, `health_status: healthy`: the part before ":" is the action too.
    if (actions && !actions.has(e.action) && !actions.has(e.action.split(":")[0])) return false;
    if (objects && !objects.some((o) => objectMatches(e, o))) return false;
    if (labels && !labels.some((l) => (l.value === undefined ? Object.hasOwn(e.attributes, l.key) : e.attributes[l.key] === l.value))) {
      return false;
    }
    return true;
  };
}

function objectMatches(e: DockerEvent, ref: string): boolean {
  if (e.id === ref) return true;
  const name = ref.replace(/^\//, "");
  if (e.name !== undefined && e.name.replace(/^\//, "") === name) return true;
  // Image events name the image in `name` or the id (busybox:latest); a bare image name matches its tags.
  if (e.type === "image" && (e.id.startsWith(`${name}:`) || e.id.startsWith(`${name}@`))) return true;
  return ref.length >= MIN_ID_PREFIX && /^[0-9a-f]+$/.test(ref) && e.id.startsWith(ref);
}
