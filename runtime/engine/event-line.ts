/**
 * One line of the engine's /events stream as Berth's DockerEvent: shared by the
 * events hub (live) and the events capability (history), so both read it alike.
 */
import type { DockerEvent } from "./protocol";

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
}

/** undefined for a line that is not a JSON object. */
export function parseEventLine(line: string): DockerEvent | undefined {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== "object") return undefined;
  // JSON.parse rounds timeNano (it exceeds 2^53): take the digits from the text.
  const timeNano = /"timeNano":\s*(\d+)/.exec(line)?.[1] ?? String(raw.timeNano ?? "");
  const attributes = raw.Actor?.Attributes ?? {};
  return {
    type: raw.Type ?? "",
    action: raw.Action ?? raw.status ?? "",
    id: raw.Actor?.ID ?? raw.id ?? "",
    ...(attributes.name ? { name: attributes.name } : {}),
    attributes,
    timeNano,
  };
}
