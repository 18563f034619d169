"use client";
/**
 * One log view's data: subscribes to the `logs` channel of the page's
 * environment over the page's `/api/ws` socket for the given params, keeps
 * a bounded window of rows (MAX_ROWS, oldest dropped; older lines come back
 * from the server on scroll-back; a larger window while the reader is scrolled
 * up, so the lines being read are not dropped under them), marks skipped
 * ranges (the server skips ahead when this tab cannot keep up; "load" fetches
 * them), and after a reconnect resumes from the last line seen, by stamp,
 * without duplicates. Rows live in a ref and the component re-renders at most once per
 * animation frame, so a 50,000 lines/s writer does not freeze the tab.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { LogLineTuple, LogSourceInfo, LogsFrame, LogsParamsInput } from "~/runtime/logs/protocol";
import { isTransient, openStream } from "../../_lib/live-streams";
import { useEnv } from "../../_lib/use-env";

export const MAX_ROWS = 10_000;
const MAX_ROWS_READING = 50_000;
const PAGE = 1000;

export type Row =
  | { kind: "line"; key: number; ts: string; stream: 0 | 1; text: string; source: string }
  | { kind: "skipped"; key: number; count: number; from: string; to: string; loading?: boolean }
  | { kind: "note"; key: number; ts: string; text: string };

export interface LogStreamState {
  rows: Row[];
  sources: LogSourceInfo[];
  matches: number;
  error?: string;
  /** "live" while following, "done" after a non-follow read, "reconnecting" after a drop. */
  status: "connecting" | "live" | "done" | "reconnecting";
  hasOlder: boolean;
  loadingOlder: boolean;
}

let keySeq = 0;
const nextKey = () => ++keySeq;

export function useLogStream(params: LogsParamsInput | undefined, { reading = false } = {}) {
  const env = useEnv();
  const rows = useRef<Row[]>([]);
  const [state, setState] = useState<Omit<LogStreamState, "rows">>({ sources: [], matches: 0, status: "connecting", hasOlder: false, loadingOlder: false });
  const [, setTick] = useState(0);
  const raf = useRef<number | undefined>(undefined);
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const readingRef = useRef(reading);
  readingRef.current = reading;

  // The match count of the lines received since the last frame: counted with them in one render.
  const pendingMatches = useRef<number | undefined>(undefined);

  const render = useCallback(() => {
    if (raf.current !== undefined) return;
    raf.current = requestAnimationFrame(() => {
      raf.current = undefined;
      const m = pendingMatches.current;
      pendingMatches.current = undefined;
      if (m !== undefined) setState((s) => (s.matches === m ? s : { ...s, matches: m }));
      setTick((t) => t + 1);
    });
  }, []);

  useEffect(() => {
    if (!params) return;
    rows.current = [];
    pendingMatches.current = undefined;
    // With a tail there may be older lines: scroll-back asks, and an empty answer settles it.
    setState({ sources: [], matches: 0, status: "connecting", hasOlder: params.tail !== "all", loadingOlder: false });
    const names = new Map<number, string>();
    let last = { ts: "", n: 0 };
    let matchBase = 0;
    let streamMatches = 0;
    let done = false;

    const toRows = (lines: LogLineTuple[]): Row[] =>
      lines.map((l) => ({ kind: "line", key: nextKey(), ts: l[0], stream: l[1], text: l[2], source: names.get(l[3]) ?? String(l[3]) }));

    const onFrame = (f: LogsFrame) => {
      switch (f.type) {
        case "sources":
          for (const s of f.sources) names.set(s.idx, s.name);
          setState((s) => ({ ...s, sources: f.sources, status: params.follow === false ? s.status : "live", error: undefined }));
          break;
        case "lines": {
          for (const l of f.lines) last = l[0] === last.ts ? { ts: l[0], n: last.n + 1 } : { ts: l[0], n: 1 };
          const add = toRows(f.lines);
          const r = rows.current;
          // Merged streams may deliver a late line slightly out of order: insert it in place.
          for (const row of add) {
            if (row.kind !== "line") continue;
            let i = r.length;
            while (i > 0 && r[i - 1].kind === "line" && (r[i - 1] as { ts: string }).ts > row.ts && r.length - i < 200) i--;
            if (i === r.length) r.push(row);
            else r.splice(i, 0, row);
          }
          const max = readingRef.current ? MAX_ROWS_READING : MAX_ROWS;
          if (r.length > max) {
            r.splice(0, r.length - max);
            setState((s) => (s.hasOlder ? s : { ...s, hasOlder: true }));
          }
          streamMatches = f.matches;
          pendingMatches.current = matchBase + streamMatches;
          break;
        }
        case "skipped":
          rows.current.push({ kind: "skipped", key: nextKey(), count: f.count, from: f.from, to: f.to });
          last = { ts: f.to, n: 0 };
          break;
        case "state":
          rows.current.push({
            kind: "note",
            key: nextKey(),
            ts: last.ts,
            text: `${names.get(f.source) ?? "container"} ${f.state === "running" ? "started again" : f.state === "removed" ? "was removed" : "stopped"}`,
          });
          break;
        case "end":
          done = true;
          pendingMatches.current = undefined;
          setState((s) => ({ ...s, status: "done", matches: f.matches, hasOlder: s.hasOlder || (f.scanned > 0 && rows.current.length > 0 && params.tail !== "all") }));
          break;
        case "error":
          // The runtime or engine away: logs.closed follows and we retry. Anything else is final.
          if (isTransient(f.code)) {
            setState((s) => ({ ...s, error: f.message, status: "reconnecting" }));
            break;
          }
          done = true;
          setState((s) => ({ ...s, error: f.message, status: "done" }));
          break;
      }
      render();
    };

    const stream = openStream("logs", env, {
      // Asked at every (re)subscribe: after a drop, resume after the last line we have.
      params: () => {
        matchBase += streamMatches;
        streamMatches = 0;
        return last.ts ? { ...params, after: { ts: last.ts, n: last.n } } : params;
      },
      onFrame,
      // Refused by the dashboard (permission, parameters, environment): final.
      onError: (e) => {
        done = true;
        setState((s) => ({ ...s, error: e.message, status: "done" }));
      },
      onClosed: () => {
        if (done) return;
        // Not ended normally: the dashboard or runtime went away. Resume after what we have.
        setState((s) => ({ ...s, status: "reconnecting" }));
        setTimeout(() => !done && stream.resubscribe(), 1000);
      },
    });
    return () => {
      done = true;
      stream.close();
    };
  }, [env, params, render]);

  /** A one-off read (older lines, a skipped range): resolves with its lines. */
  const fetchRange = useCallback((extra: Partial<LogsParamsInput>): Promise<Row[]> => {
    const base = paramsRef.current;
    if (!base) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const names = new Map<number, string>();
      const got: Row[] = [];
      const stream = openStream("logs", env, {
        params: () => ({ ...base, after: undefined, ...extra, follow: false }),
        onFrame: (f) => {
          if (f.type === "sources") for (const s of f.sources) names.set(s.idx, s.name);
          if (f.type === "lines") for (const l of f.lines) got.push({ kind: "line", key: nextKey(), ts: l[0], stream: l[1], text: l[2], source: names.get(l[3]) ?? "" });
          if (f.type === "error") {
            stream.close();
            reject(new Error(f.message));
          }
        },
        onError: (e) => {
          stream.close();
          reject(new Error(e.message));
        },
        onClosed: () => {
          stream.close();
          resolve(got);
        },
      });
    });
  }, [env]);

  /** Loads up to PAGE lines before the oldest one shown. Returns how many rows were prepended. */
  const loadOlder = useCallback(async (): Promise<number> => {
    const first = rows.current.find((r) => r.kind === "line") as { ts: string } | undefined;
    if (!first) return 0;
    setState((s) => ({ ...s, loadingOlder: true }));
    try {
      // `until` is inclusive and stamps can repeat: the page's last lines stamped first.ts are ones we show.
      let have = 0;
      for (const r of rows.current) {
        if (r.kind !== "line") continue;
        if (r.ts !== first.ts) break;
        have++;
      }
      const page = await fetchRange({ until: first.ts, tail: PAGE + have, since: paramsRef.current?.since });
      const older = page.filter((r) => r.kind === "line" && r.ts <= first.ts);
      while (have > 0 && older.length > 0 && (older[older.length - 1] as { ts: string }).ts === first.ts) {
        older.pop();
        have--;
      }
      rows.current.unshift(...older);
      setState((s) => ({ ...s, loadingOlder: false, hasOlder: older.length > 0 }));
      render();
      return older.length;
    } catch (err) {
      setState((s) => ({ ...s, loadingOlder: false, error: (err as Error).message }));
      return 0;
    }
  }, [fetchRange, render]);

  /** Replaces a skipped marker by the lines it stands for (the newest PAGE·2 of them). */
  const loadSkipped = useCallback(
    async (key: number) => {
      const i = rows.current.findIndex((r) => r.key === key);
      const row = rows.current[i];
      if (!row || row.kind !== "skipped") return;
      row.loading = true;
      render();
      const lines = await fetchRange({ since: row.from, until: row.to, tail: PAGE * 2 }).catch(() => []);
      const j = rows.current.indexOf(row);
      if (j < 0) return;
      const rest = row.count - lines.length;
      const first = lines.find((r) => r.kind === "line") as { ts: string } | undefined;
      const marker: Row[] = rest > 0 ? [{ ...row, count: rest, to: first?.ts ?? row.to, loading: false, key: nextKey() }] : [];
      rows.current.splice(j, 1, ...marker, ...lines);
      render();
    },
    [fetchRange, render],
  );

  return { ...state, rows: rows.current, loadOlder, loadSkipped };
}
