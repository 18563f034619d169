"use client";
/**
 * The log viewer: one container (`containerId`), several merged (`containerIds`)
 * or a compose project (`project`). Live over the page's WebSocket, filtered on
 * the server, rendered with a virtualised list over a bounded window; older
 * lines load on scroll-back. It follows the newest line until the reader
 * scrolls away (use-follow.ts). "Search history" switches to what Berth recorded
 * (Keep history), which outlives the containers.
 */
import { useQuery } from "@tanstack/react-query";
import { defaultRangeExtractor, type Range, useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { LogsParamsInput } from "~/runtime/protocol/index";
import { useTRPC } from "../../_lib/trpc";
import { envPath } from "../../_lib/env-path";
import { useEnv } from "../../_lib/use-env";
import { KeepHistory } from "./history-controls";
import { colourOf, LogRow } from "./log-row";
import { defaultOptions, downloadQuery, LogToolbar, sinceIso, type ViewOptions } from "./log-toolbar";
import { useFollow } from "./use-follow";
import { type Row, useLogStream } from "./use-log-stream";
import { useDebounced } from "../../_lib/use-debounced";

export interface LogViewProps {
  containerId?: string;
  containerIds?: string[];
  project?: string;
}

const ROW_PX = 18;

/**
 * The rows around the scroll position, and while following the newest ones too:
 * the range is computed before the follow scroll moves to the end, and without
 * them the rows just appended would be missing until the next scroll event.
 */
function withEnd(range: Range, following: boolean): number[] {
  const base = defaultRangeExtractor(range);
  if (!following || range.count === 0) return base;
  const from = Math.max(0, range.count - (range.endIndex - range.startIndex + 1) - range.overscan);
  return [...base.filter((i) => i < from), ...Array.from({ length: range.count - from }, (_, k) => from + k)];
}

function searchRegex(o: ViewOptions): RegExp | undefined {
  if (!o.q || o.invert) return undefined;
  try {
    return new RegExp(o.regex ? o.q : o.q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), o.caseSensitive ? "g" : "gi");
  } catch {
    return undefined;
  }
}

export function LogView({ containerId, containerIds, project }: LogViewProps) {
  const trpc = useTRPC();
  const env = useEnv();
  const [o, setO] = useState<ViewOptions>(defaultOptions);
  const set = (patch: Partial<ViewOptions>) => setO((prev) => ({ ...prev, ...patch }));
  const q = useDebounced(o.q, 250);
  const [mode, setMode] = useState<"live" | "history">("live");
  const idsKey = containerIds?.join(",") ?? "";

  // New params (and so a new stream) only when something the server uses changes.
  const params = useMemo<LogsParamsInput | undefined>(() => {
    const target = containerId ? { id: containerId } : idsKey ? { ids: idsKey.split(",") } : project ? { project } : undefined;
    if (!target) return undefined;
    const since = sinceIso(o, Date.now());
    return {
      ...target,
      follow: o.follow,
      tail: o.tail === "all" ? "all" : Number(o.tail),
      ...(since ? { since } : {}),
      ...(o.until ? { until: new Date(o.until).toISOString() } : {}),
      stdout: o.stdout,
      stderr: o.stderr,
      ...(q ? { search: { q, regex: o.regex, caseSensitive: o.caseSensitive, invert: o.invert } } : {}),
    };
    // o.q is debounced into q; the whole of o would reopen the stream on every key.
  }, [containerId, idsKey, project, o.follow, o.tail, o.since, o.sinceCustom, o.until, o.stdout, o.stderr, q, o.regex, o.caseSensitive, o.invert]);

  const scroller = useRef<HTMLDivElement>(null);
  const follow = useFollow(scroller, ROW_PX * 2, {
    onRelease: () => virtualizer.cancelScroll(),
    onUnpress: () => virtualizer.scrollToEnd(),
  });
  const live = useLogStream(mode === "live" ? params : undefined, { reading: !follow.following });
  const containerName = containerId ? (live.sources[0]?.name ?? containerId) : undefined;
  const history = useQuery({
    ...trpc.logs.historySearch.queryOptions({
      env,
      ...(containerName ? { container: containerName } : {}),
      ...(project ? { project } : {}),
      ...(params?.search ? { search: params.search } : {}),
      ...(params?.since ? { since: params.since } : {}),
      ...(params?.until ? { until: params.until } : {}),
      stdout: o.stdout,
      stderr: o.stderr,
      limit: 5000,
    }),
    enabled: mode === "history",
  });
  const rows: Row[] = useMemo(
    () =>
      mode === "live"
        ? live.rows
        : (history.data?.lines ?? []).map((l, i) => ({ kind: "line" as const, key: i, ts: l[0], stream: l[1], text: l[2], source: l[3] })),
    // live.rows is mutated in place; a new render of the stream re-evaluates via its length.
    // (live.rows.length: the same array grows in place.)
    [mode, live.rows, live.rows.length, history.data],
  );
  const merged = !containerId || mode === "history";
  const following = mode === "live" && o.follow && follow.following;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 30,
    getItemKey: (i) => rows[i]?.key ?? i,
    // The row the reader is on stays put when older rows are prepended or the oldest trimmed;
    // while following there is no such row, and no need to look for it under a flood.
    anchorTo: following ? "start" : "end",
    rangeExtractor: (range) => withEnd(range, following),
  });

  const [current, setCurrent] = useState(-1);
  const hre = useMemo(() => searchRegex({ ...o, q }), [o, q]);

  // A new stream (or the way back from history) starts at its newest line.
  const { resume } = follow;
  useEffect(() => resume(), [params, mode, resume]);

  // Before paint, so appended rows never show a frame below the view.
  useLayoutEffect(() => {
    if (following && rows.length > 0 && !follow.pressed()) virtualizer.scrollToEnd();
  });

  const onScroll = () => {
    const byReader = follow.onScroll();
    const el = scroller.current;
    // Only the reader asks for older lines: the view's own scrolls (a trim, say) may pass the top too.
    if (byReader && el && mode === "live" && el.scrollTop < ROW_PX * 5 && live.hasOlder && !live.loadingOlder) void live.loadOlder();
  };

  const jump = (dir: 1 | -1) => {
    if (!hre && !o.q) return;
    const isMatch = (r: Row | undefined) => r?.kind === "line" && (!hre || (hre.lastIndex = 0, hre.test(r.text)));
    for (let i = current + dir, n = 0; n < rows.length; i += dir, n++) {
      const k = (i + rows.length) % rows.length;
      if (isMatch(rows[k])) {
        follow.release();
        setCurrent(k);
        virtualizer.scrollToIndex(k, { align: "center" });
        return;
      }
    }
  };

  const downloadHref = params
    ? `/api${envPath(env, containerId ? `/containers/${encodeURIComponent(containerId)}/logs/download` : "/logs/download")}?${downloadQuery(params, o.timestamps)}`
    : undefined;
  const historyHref = (() => {
    const hq = new URLSearchParams(params ? downloadQuery({ ...params, ids: undefined, tail: "all" }, true) : "");
    hq.delete("tail");
    hq.delete("timestamps");
    if (containerName) hq.set("container", containerName);
    return `/api${envPath(env, "/logs/history/download")}?${hq.toString()}`;
  })();
  const searching = !!q;
  const matches = mode === "live" ? live.matches : (history.data?.matches ?? 0);
  const error = mode === "live" ? live.error : history.error?.message;

  return (
    <section className="log-view" aria-label="Logs">
      <LogToolbar o={o} set={set} matches={matches} searching={searching} onPrev={() => jump(-1)} onNext={() => jump(1)} downloadHref={mode === "live" ? downloadHref : historyHref}>
        <KeepHistory container={containerName} project={containerId ? undefined : project} />
        {(containerId || project) && (
          <button type="button" aria-pressed={mode === "history"} onClick={() => setMode(mode === "live" ? "history" : "live")}>
            {mode === "live" ? "Search history" : "Back to live"}
          </button>
        )}
      </LogToolbar>
      {merged && live.sources.length > 0 && mode === "live" && (
        <div className="log-legend" aria-label="Containers">
          {live.sources.map((s) => (
            <span key={s.idx} style={{ color: colourOf(s.name) }}>
              ● {s.name} <span className="muted small">{s.state}</span>
            </span>
          ))}
        </div>
      )}
      <div className="log-status muted small" data-testid="log-status">
        {mode === "history"
          ? history.isFetching
            ? "Searching history…"
            : history.data && `History: ${history.data.matches.toLocaleString()} matching of ${history.data.scanned.toLocaleString()} recorded lines (${history.data.tookMs} ms)${history.data.truncated ? `, newest ${history.data.lines.length.toLocaleString()} shown` : ""}`
          : live.status === "reconnecting"
            ? "Reconnecting… (will resume after the last line)"
            : live.status === "connecting"
              ? "Connecting…"
              : live.status === "done"
                ? `${rows.length.toLocaleString()} lines`
                : `Following · ${rows.length.toLocaleString()} lines in view`}
        {live.loadingOlder && " · loading older lines…"}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div ref={scroller} className={`log-scroll${o.wrap ? " log-wrap" : ""}`} role="log" aria-label="Log lines" aria-live="off" tabIndex={0} onScroll={onScroll}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => (
            <div key={v.key} data-index={v.index} ref={o.wrap ? virtualizer.measureElement : undefined} style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}>
              <LogRow row={rows[v.index]} timestamps={o.timestamps} showSource={merged} highlightRe={hre} current={v.index === current} onLoadSkipped={(k) => void live.loadSkipped(k)} />
            </div>
          ))}
        </div>
      </div>
      {mode === "live" && o.follow && !follow.following && rows.length > 0 && (
        <button type="button" className="log-latest" onClick={follow.resume}>
          Jump to latest
        </button>
      )}
    </section>
  );
}
