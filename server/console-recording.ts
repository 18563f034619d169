/**
 * Console session recordings: when an environment's "Record console sessions"
 * setting is on, each `exec`/`attach` session's output is kept as an asciicast
 * v2 file (https://docs.asciinema.org/manual/asciicast/v2/) in the data
 * directory, `console-recordings/<audit row id>.cast`, named in that row's
 * details; administrators replay it from the audit history.
 *
 * Only output and resizes are kept, never keystrokes: what a person types
 * (passwords at a prompt that does not echo) stays out of the file, as with
 * asciinema's default. A file stops growing at MAX_BYTES (a marker says so).
 */
import fs from "node:fs";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { db } from "./db";

export const MAX_BYTES = 50 << 20;
const settingKey = (env: string) => `console.record.${env}`;

export function recordingsDir(): string {
  return path.join(path.resolve(process.env.BERTH_DATA_DIR ?? "./data"), "console-recordings");
}

export function recordingPath(auditId: number): string {
  return path.join(recordingsDir(), `${auditId}.cast`);
}

export async function recordingEnabled(env: string): Promise<boolean> {
  const row = await db.setting.findUnique({ where: { key: settingKey(env) } });
  return row?.value === "on";
}

export async function setRecording(env: string, on: boolean): Promise<void> {
  await db.setting.upsert({ where: { key: settingKey(env) }, create: { key: settingKey(env), value: on ? "on" : "off" }, update: { value: on ? "on" : "off" } });
}

export interface CastRecorder {
  output(data: Uint8Array): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/** Starts `<auditId>.cast`; a file that cannot be written is logged and the session goes on unrecorded. */
export function startRecording(auditId: number, header: { cols: number; rows: number; command: string; title: string }): CastRecorder {
  const dir = recordingsDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out = fs.createWriteStream(recordingPath(auditId), { mode: 0o600 });
  out.on("error", (err) => console.error(`[console] recording ${auditId} failed: ${err.message}`));
  const started = Date.now();
  const decoder = new StringDecoder("utf8");
  let bytes = 0;
  let full = false;
  const write = (line: string) => {
    if (full) return;
    bytes += Buffer.byteLength(line);
    if (bytes > MAX_BYTES) {
      full = true;
      out.write(`${JSON.stringify([(Date.now() - started) / 1000, "o", "\r\n[recording stopped: 50 MB reached]\r\n"])}\n`);
      return;
    }
    out.write(line);
  };
  const at = () => Math.round(Date.now() - started) / 1000;
  write(`${JSON.stringify({ version: 2, width: header.cols, height: header.rows, timestamp: Math.floor(started / 1000), command: header.command, title: header.title })}\n`);
  return {
    output(data) {
      const text = decoder.write(Buffer.from(data));
      if (text) write(`${JSON.stringify([at(), "o", text])}\n`);
    },
    resize(cols, rows) {
      write(`${JSON.stringify([at(), "r", `${cols}x${rows}`])}\n`);
    },
    close() {
      const rest = decoder.end();
      if (rest) write(`${JSON.stringify([at(), "o", rest])}\n`);
      out.end();
    },
  };
}

/** A recording's text for the viewer, at most `max` bytes (the head of a longer one, `truncated` set); null when there is none. */
export function readRecording(auditId: number, max = 8 << 20): { text: string; truncated: boolean } | null {
  let fd: number;
  try {
    fd = fs.openSync(recordingPath(auditId), "r");
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, max));
    fs.readSync(fd, buf, 0, buf.length, 0);
    let text = buf.toString("utf8");
    // Cut at the last whole line, so every line the viewer reads is JSON.
    if (size > max) text = text.slice(0, text.lastIndexOf("\n") + 1);
    return { text, truncated: size > max };
  } finally {
    fs.closeSync(fd);
  }
}
