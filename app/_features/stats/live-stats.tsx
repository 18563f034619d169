"use client";
/**
 * Every running container's CPU and memory, live: one `stats` subscription
 * (`{all: true}`) per page, one frame a second from the runtime. The figures
 * go into a small store, not React state: a cell reads its own container's
 * figures (useSyncExternalStore), so a second's update re-renders those cells
 * and nothing else (the list's rows are memoised, see list-table.tsx).
 */
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore } from "react";
import type { StatsBrief } from "~/runtime/stats/protocol";
import { formatBytes } from "../../_lib/format";
import { isTransient, openStream } from "../../_lib/live-streams";

export interface LiveStatsStore {
  /** By full container id: [cpu %, memory bytes, memory limit bytes]. */
  current: Record<string, StatsBrief>;
  /** Bumped with every frame. */
  version: number;
  /** Why there are no figures (a refusal), if so. */
  error?: string;
  subscribe(listener: () => void): () => void;
}

function createStore(): LiveStatsStore & { set(stats: Record<string, StatsBrief>, error?: string): void } {
  const listeners = new Set<() => void>();
  const store = {
    current: {} as Record<string, StatsBrief>,
    version: 0,
    error: undefined as string | undefined,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    set(stats: Record<string, StatsBrief>, error?: string) {
      store.current = stats;
      store.error = error;
      store.version++;
      for (const l of listeners) l();
    },
  };
  return store;
}

/** Subscribes while `enabled`; the store is the same object for the page's life in one environment. */
export function useLiveStats(env: string, enabled: boolean): LiveStatsStore {
  const store = useMemo(() => createStore(), [env]);
  useEffect(() => {
    if (!enabled) return;
    let done = false;
    const stream = openStream("stats", env, {
      params: () => ({ all: true }),
      onFrame: (f) => {
        if (f.type === "all") store.set(f.stats);
        else if (f.type === "error" && !isTransient(f.code)) {
          done = true;
          store.set({}, f.message);
        }
      },
      onError: (e) => {
        done = true;
        store.set({}, e.message);
      },
      onClosed: () => {
        if (!done) setTimeout(() => !done && stream.resubscribe(), 1000);
      },
    });
    return () => {
      done = true;
      stream.close();
    };
  }, [env, enabled, store]);
  return store;
}

/** The store's version, re-rendering the caller with every frame (only while `live`). */
export function useLiveStatsVersion(store: LiveStatsStore, live: boolean): number {
  return useSyncExternalStore(
    live ? store.subscribe : noSubscribe,
    () => (live ? store.version : 0),
    () => 0,
  );
}
const noSubscribe = () => () => undefined;

export const LiveStatsContext = createContext<LiveStatsStore | null>(null);

function useBrief(id: string): StatsBrief | undefined {
  const store = useContext(LiveStatsContext);
  return useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => store?.current[id],
    () => undefined,
  );
}

/** The CPU % of one container in the list (blank when it is not running). */
export function CpuCell({ id }: { id: string }) {
  const b = useBrief(id);
  return b ? `${b[0].toFixed(2)} %` : <span className="muted">—</span>;
}

/** Memory usage of one container in the list, as `docker stats` shows it (usage / limit on hover). */
export function MemoryCell({ id }: { id: string }) {
  const b = useBrief(id);
  return b ? <span title={`${formatBytes(b[1])} / ${formatBytes(b[2])}`}>{formatBytes(b[1])}</span> : <span className="muted">—</span>;
}
