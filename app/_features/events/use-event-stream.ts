"use client";
/**
 * One Events view's data: subscribes to the `events` channel of the page's
 * environment with the view's filters (and `since` for history), keeps the
 * newest MAX_ROWS rows (newest first), and re-renders at most once per
 * animation frame. After a drop it resubscribes with `since` at its newest
 * event, so what happened meanwhile comes back as history; events it already
 * has are not shown twice. A paused view keeps receiving but does not redraw.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { DockerEvent, EngineEventsFrame, EventsParamsInput } from "~/runtime/protocol/index";
import { isTransient, openStream } from "../../_lib/live-streams";
import { useEnv } from "../../_lib/use-env";

export const MAX_ROWS = 5000;
const RESUBSCRIBE_MS = 1000;

export type EventRow =
  | { kind: "event"; key: string; event: DockerEvent }
  | { kind: "skipped"; key: string; count: number; from: string; to: string };

export interface EventStreamState {
  status: "connecting" | "live" | "not-live" | "reconnecting";
  reason?: string;
  error?: string;
  /** History was cut to the newest events the runtime sends. */
  truncated: boolean;
}

export const eventKey = (e: DockerEvent) => `${e.timeNano}|${e.type}|${e.action}|${e.id}`;

/** Unix seconds (with nanoseconds) of a timeNano stamp, as `since` takes it. */
export function stampSeconds(timeNano: string): string {
  const digits = timeNano.padStart(10, "0");
  return `${digits.slice(0, -9)}.${digits.slice(-9)}`;
}

export function useEventStream(filters: Omit<EventsParamsInput, "since">, since: number | undefined, paused: boolean) {
  const env = useEnv();
  const rows = useRef<EventRow[]>([]);
  // What the table shows: the rows as of the last redraw (a paused view keeps its rows still).
  const shown = useRef<EventRow[]>([]);
  const seen = useRef(new Set<string>());
  const [state, setState] = useState<EventStreamState>({ status: "connecting", truncated: false });
  const [, setTick] = useState(0);
  const raf = useRef<number | undefined>(undefined);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  const render = useCallback(() => {
    if (raf.current !== undefined || pausedRef.current) return;
    raf.current = requestAnimationFrame(() => {
      raf.current = undefined;
      shown.current = rows.current;
      setTick((t) => t + 1);
    });
  }, []);
  // Resuming shows what came while paused.
  useEffect(() => {
    if (!paused) render();
  }, [paused, render]);

  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    rows.current = [];
    shown.current = [];
    seen.current = new Set();
    setState({ status: "connecting", truncated: false });
    const parsedFilters = JSON.parse(filterKey) as Omit<EventsParamsInput, "since">;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const add = (events: DockerEvent[]) => {
      // Newest first: the events of one frame are oldest first.
      const fresh: EventRow[] = [];
      for (const event of events) {
        const key = eventKey(event);
        if (seen.current.has(key)) continue;
        seen.current.add(key);
        fresh.push({ kind: "event", key, event });
      }
      if (fresh.length === 0) return;
      fresh.reverse();
      const next = fresh.concat(rows.current);
      if (next.length > MAX_ROWS) {
        for (const r of next.splice(MAX_ROWS)) seen.current.delete(r.key);
      }
      rows.current = next;
      render();
    };

    const newest = () => rows.current.find((r): r is Extract<EventRow, { kind: "event" }> => r.kind === "event")?.event;
    const stream = openStream("events", env, {
      params() {
        // After a drop, what happened since the newest event comes back as history.
        const last = newest();
        const from = last ? stampSeconds(last.timeNano) : since;
        return { ...parsedFilters, ...(from !== undefined ? { since: from } : {}) };
      },
      onFrame(frame: EngineEventsFrame) {
        switch (frame.type) {
          case "history":
            if (frame.truncated) setState((s) => ({ ...s, truncated: true }));
            return add(frame.events);
          case "event":
            return add([frame.event]);
          case "skipped":
            rows.current = [{ kind: "skipped", key: `skip:${frame.from}:${frame.to}`, ...frame }, ...rows.current];
            return render();
          case "state":
            return setState((s) => ({ ...s, status: frame.live ? "live" : "not-live", reason: frame.reason, error: undefined }));
          case "error":
            return setState((s) => ({ ...s, error: frame.message }));
        }
      },
      onError(error) {
        setState((s) => ({ ...s, error: error.message, status: isTransient(error.code) ? "reconnecting" : s.status }));
        if (isTransient(error.code)) timer = setTimeout(() => stream.resubscribe(), RESUBSCRIBE_MS);
      },
      onClosed(detail) {
        if (!detail) return;
        setState((s) => ({ ...s, status: "reconnecting", reason: detail }));
        clearTimeout(timer);
        timer = setTimeout(() => stream.resubscribe(), RESUBSCRIBE_MS);
      },
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, [env, filterKey, since, render]);

  useEffect(() => () => {
    if (raf.current !== undefined) cancelAnimationFrame(raf.current);
  }, []);

  return { rows: shown.current, ...state };
}
