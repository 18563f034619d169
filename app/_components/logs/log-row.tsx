"use client";
/** One row of a log view: stamp, container tag, level badge, ANSI colours, JSON/logfmt fields, search highlights. */
import Anser from "anser";
import { memo, type ReactNode } from "react";
import { parseLine } from "./parse-line";
import type { Row } from "./use-log-stream";

const PALETTE = ["#58a6ff", "#3fb950", "#d29922", "#bc8cff", "#39c5cf", "#ff7b72", "#f778ba", "#a5d6ff"];

export function colourOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length];
}

function formatTs(ts: string): string {
  // 2026-11-23T14:33:39.123456789Z → local HH:MM:SS.mmm
  const d = new Date(ts.replace(/\.(\d{3})\d*Z$/, ".$1Z"));
  if (Number.isNaN(d.getTime())) return ts;
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function highlight(text: string, re: RegExp | undefined, keyBase: string): ReactNode {
  if (!re || text === "") return text;
  const out: ReactNode[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === "") {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(<mark key={`${keyBase}-${m.index}`}>{m[0]}</mark>);
    last = m.index + m[0].length;
    if (out.length > 200) break;
  }
  if (last === 0) return text;
  out.push(text.slice(last));
  return out;
}

function Ansi({ text, re }: { text: string; re?: RegExp }) {
  if (!text.includes("\x1b")) return <>{highlight(text, re, "t")}</>;
  const parts = Anser.ansiToJson(text, { json: true, remove_empty: true });
  return (
    <>
      {parts.map((p, i) => (
        <span
          key={i}
          style={{
            color: p.fg ? `rgb(${p.fg})` : undefined,
            background: p.bg ? `rgb(${p.bg})` : undefined,
            fontWeight: p.decorations.includes("bold") ? 600 : undefined,
            fontStyle: p.decorations.includes("italic") ? "italic" : undefined,
            textDecoration: p.decorations.includes("underline") ? "underline" : undefined,
          }}
        >
          {highlight(p.content, re, `a${i}`)}
        </span>
      ))}
    </>
  );
}

interface Props {
  row: Row;
  timestamps: boolean;
  showSource: boolean;
  highlightRe?: RegExp;
  current?: boolean;
  onLoadSkipped(key: number): void;
}

export const LogRow = memo(function LogRow({ row, timestamps, showSource, highlightRe, current, onLoadSkipped }: Props) {
  if (row.kind === "skipped") {
    return (
      <div className="log-row log-skipped" role="status">
        {row.count.toLocaleString()} lines skipped to keep up ({formatTs(row.from)} – {formatTs(row.to)}){" "}
        <button type="button" disabled={row.loading} onClick={() => onLoadSkipped(row.key)}>
          {row.loading ? "Loading…" : "Load them"}
        </button>
      </div>
    );
  }
  if (row.kind === "note") {
    return <div className="log-row log-note">— {row.text} —</div>;
  }
  const info = parseLine(row.text);
  const text = row.text.endsWith("\r") ? row.text.slice(0, -1) : row.text;
  const extra = info.fields?.filter(([k]) => !["msg", "message", "level", "lvl", "time", "ts", "timestamp", "@timestamp"].includes(k)).slice(0, 12);
  return (
    <div className={`log-row${row.stream === 1 ? " log-stderr" : ""}${current ? " log-current" : ""}`} data-stream={row.stream === 1 ? "stderr" : "stdout"}>
      {timestamps && (
        <time className="log-ts" dateTime={row.ts} title={row.ts}>
          {formatTs(row.ts)}
        </time>
      )}
      {showSource && (
        <span className="log-src" style={{ color: colourOf(row.source) }} title={row.source}>
          {row.source}
        </span>
      )}
      {row.stream === 1 && <span className="log-err-tag" title="stderr">err</span>}
      {info.level && <span className={`log-level log-level-${info.level}`}>{info.level}</span>}
      <span className="log-text">
        {info.format && info.message !== undefined ? (
          <>
            {highlight(info.message, highlightRe, "m")}
            {extra?.map(([k, v]) => (
              <span key={k} className="log-field">
                <span className="log-field-k">{k}</span>={highlight(v, highlightRe, k)}
              </span>
            ))}
          </>
        ) : (
          <Ansi text={text} re={highlightRe} />
        )}
      </span>
    </div>
  );
});
