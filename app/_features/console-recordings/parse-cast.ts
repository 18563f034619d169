/**
 * Reads an asciicast v2 file (a JSON header line, then `[time, code, data]`
 * lines): output (`o`) and resize (`r`, "COLSxROWS") events; others (input,
 * markers) and lines that are not valid are skipped. Pure: unit-tested.
 */
export interface CastHeader {
  width: number;
  height: number;
  timestamp: number;
  command: string;
  title: string;
}
export type CastEvent = { kind: "o"; at: number; data: string } | { kind: "r"; at: number; cols: number; rows: number };
export interface Cast {
  header: CastHeader;
  events: CastEvent[];
}

const size = (n: unknown, fallback: number) => (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 1000 ? n : fallback);

export function parseCast(text: string): Cast {
  const lines = text.split("\n");
  let head: Record<string, unknown> = {};
  try {
    head = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
  } catch {
    // Not a cast: an empty session at the default size.
  }
  const header: CastHeader = {
    width: size(head.width, 80),
    height: size(head.height, 24),
    timestamp: typeof head.timestamp === "number" ? head.timestamp : 0,
    command: typeof head.command === "string" ? head.command : "",
    title: typeof head.title === "string" ? head.title : "",
  };
  const events: CastEvent[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (!Array.isArray(e) || typeof e[0] !== "number" || typeof e[2] !== "string") continue;
    if (e[1] === "o") events.push({ kind: "o", at: e[0], data: e[2] });
    else if (e[1] === "r") {
      const m = /^(\d+)x(\d+)$/.exec(e[2]);
      if (m) events.push({ kind: "r", at: e[0], cols: size(Number(m[1]), header.width), rows: size(Number(m[2]), header.height) });
    }
  }
  return { header, events };
}
