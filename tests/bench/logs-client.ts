/**
 * Log streams for the benchmark: one through Berth (a page's /api/ws socket,
 * the `logs` channel), one straight from the engine (`GET /containers/{id}/logs`).
 * Both report every line with the engine's own timestamp.
 */
import type WebSocket from "ws";
import type { Berth } from "./berth";
import net from "node:net";
import { MuxLineCounter, engineGet, nowNano, socketPath } from "./engine";

/** Docker's RFC 3339 stamp with nanoseconds → ns since the epoch. */
export function stampNano(ts: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return 0n;
  const secs = BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n;
  return secs + BigInt((m[2] ?? "").padEnd(9, "0"));
}

export interface LineSink {
  lines: number;
  skipped: number;
  /** Set when Berth ended the stream or closed the socket before the count was reached: why. */
  ended?: string;
  onLine?: (tsNano: bigint, arrivedNano: bigint) => void;
}

const LINES_MARK = Buffer.from('"type":"lines"');
const TUPLE_START = Buffer.from('["');
const SID = "bench";

/** A page's subscribe message for a log stream of the bench's environment. */
async function subscribeLogs(berth: Berth, ws: WebSocket, params: Record<string, unknown>) {
  ws.send(JSON.stringify({ type: "subscribe", id: SID, channel: "logs", env: await berth.environment(), params }));
}

/**
 * The Berth counterpart of `rawCount`: as light as the raw newline counter, it
 * counts line tuples in the frames without decoding them. In a lines frame
 * every tuple starts with `["` (a quote inside text is escaped, so `["` cannot
 * occur there); other frames are rare and parsed.
 */
export async function berthCount(berth: Berth, params: Record<string, unknown>, sink: LineSink): Promise<{ ws: WebSocket }> {
  const ws = await berth.socket();
  let first!: () => void;
  const started = new Promise<void>((r) => (first = r));
  ws.on("message", (data: Buffer) => {
    // The envelope ({"type":"frame","id":…,"channel":"logs","data":) comes first, then the logs frame's type.
    const head = data.subarray(0, 128);
    if (head.includes(LINES_MARK)) {
      first();
      let n = 0;
      for (let i = data.indexOf(TUPLE_START); i !== -1; i = data.indexOf(TUPLE_START, i + 2)) n++;
      sink.lines += n;
      return;
    }
    const msg = JSON.parse(data.toString("utf8"));
    if (msg.type === "error") throw new Error(`Berth logs: ${msg.message}`);
    if (msg.type === "closed" && msg.id === SID) sink.ended ??= `subscription closed${msg.detail ? `: ${msg.detail}` : ""}`;
    if (msg.type !== "frame" || msg.id !== SID) return;
    first();
    // A lines frame whose type came after the head (the fast path did not see it).
    if (msg.data.type === "lines") sink.lines += msg.data.lines.length;
    if (msg.data.type === "skipped") sink.skipped += msg.data.count;
    if (msg.data.type === "error") throw new Error(`Berth logs: ${msg.data.message}`);
  });
  ws.on("close", (code, reason) => void (sink.ended ??= `socket closed by Berth: ${code} ${reason.toString()}`));
  await subscribeLogs(berth, ws, params);
  await started;
  return { ws };
}

/** Opens a follow stream through Berth; resolves once the runtime has sent its first frame. */
export async function berthLogs(berth: Berth, params: Record<string, unknown>, sink: LineSink): Promise<{ ws: WebSocket; closed: Promise<void> }> {
  const ws = await berth.socket();
  let first!: () => void;
  const started = new Promise<void>((r) => (first = r));
  const closed = new Promise<void>((resolve) => {
    ws.on("message", (data: Buffer) => {
      const arrived = nowNano();
      const msg = JSON.parse(data.toString("utf8"));
      if (msg.type === "error") throw new Error(`Berth logs: ${msg.message}`);
      if (msg.id !== SID) return;
      if (msg.type === "closed") return resolve();
      if (msg.type !== "frame") return;
      const f = msg.data;
      first();
      if (f.type === "lines") {
        sink.lines += f.lines.length;
        if (sink.onLine) for (const l of f.lines) sink.onLine(stampNano(l[0]), arrived);
      } else if (f.type === "skipped") sink.skipped += f.count;
      else if (f.type === "error") throw new Error(`Berth logs: ${f.message}`);
      else if (f.type === "end") resolve();
    });
    ws.once("close", () => resolve());
  });
  await subscribeLogs(berth, ws, params);
  await started;
  return { ws, closed };
}

/** The issue's raw baseline: follow without timestamps, count newlines in the demultiplexed frames. */
export async function rawCount(id: string, sink: LineSink, timestamps = false) {
  const res = await engineGet(`/containers/${id}/logs?follow=1&stdout=1&stderr=1${timestamps ? "&timestamps=1" : ""}`);
  const counter = new MuxLineCounter();
  res.on("data", (chunk: Buffer) => {
    counter.push(chunk);
    sink.lines = counter.lines;
  });
  return { res };
}

/**
 * The same count over HTTP/1.0 on a raw socket: the engine then sends the body
 * unchunked, which spares the client a parse per line. Berth's runtime reads
 * this way, so this row is the fastest raw client we know, for comparison.
 */
export async function rawCount10(id: string, sink: LineSink, timestamps = false) {
  const sock = net.connect(socketPath());
  await new Promise<void>((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("error", reject);
  });
  sock.write(`GET /containers/${id}/logs?follow=1&stdout=1&stderr=1${timestamps ? "&timestamps=1" : ""} HTTP/1.0\r\nHost: docker\r\n\r\n`);
  const counter = new MuxLineCounter();
  let head: Buffer | null = Buffer.alloc(0);
  sock.on("data", (chunk: Buffer) => {
    if (head) {
      const all = Buffer.concat([head, chunk]);
      const end = all.indexOf("\r\n\r\n");
      if (end < 0) {
        head = all;
        return;
      }
      head = null;
      chunk = all.subarray(end + 4);
    }
    counter.push(chunk);
    sink.lines = counter.lines;
  });
  return { res: sock };
}

/** Follows a container's log on the engine with timestamps; calls onLine per line. */
export async function rawLogs(id: string, sink: LineSink, opts: { tail?: string } = {}) {
  const res = await engineGet(`/containers/${id}/logs?follow=1&stdout=1&stderr=1&timestamps=1&tail=${opts.tail ?? "all"}`);
  let pending = Buffer.alloc(0);
  let frameLeft = 0;
  let partial = "";
  const ended = new Promise<void>((resolve) => {
    res.on("end", resolve);
    res.on("close", resolve);
  });
  res.on("data", (chunk: Buffer) => {
    const arrived = nowNano();
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    let text = "";
    let i = 0;
    while (i < buf.length) {
      if (frameLeft === 0) {
        if (buf.length - i < 8) {
          pending = Buffer.from(buf.subarray(i));
          break;
        }
        frameLeft = buf.readUInt32BE(i + 4);
        i += 8;
        continue;
      }
      const end = Math.min(buf.length, i + frameLeft);
      text += buf.toString("utf8", i, end);
      frameLeft -= end - i;
      i = end;
    }
    buf = Buffer.alloc(0);
    const parts = (partial + text).split("\n");
    partial = parts.pop() ?? "";
    sink.lines += parts.length;
    if (sink.onLine) for (const p of parts) sink.onLine(stampNano(p.slice(0, p.indexOf(" "))), arrived);
  });
  return { res, ended };
}
