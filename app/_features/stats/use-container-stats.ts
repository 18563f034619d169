"use client";
/**
 * One container's live figures: subscribes to the `stats` channel (`{id}`)
 * over the page's socket; the first frame is the runtime's last 15 minutes,
 * then a sample a second. Samples live in a ref (at most RING); the component
 * re-renders once per sample. A subscription that ends abnormally (the
 * runtime away, the page fell behind) is resumed after 1 s and starts again
 * from the runtime's ring, so the chart has no gap.
 */
import { useEffect, useRef, useState } from "react";
import type { StatsSample } from "~/runtime/stats/protocol";
import { isTransient, openStream } from "../../_lib/live-streams";
import { useEnv } from "../../_lib/use-env";

export const RING = 900;

export interface ContainerStats {
  samples: StatsSample[];
  running: boolean;
  status: "connecting" | "live" | "reconnecting" | "ended";
  error?: string;
  /** Bumped with every sample, for memoised charts. */
  version: number;
}

export function useContainerStats(id: string, enabled = true): ContainerStats {
  const env = useEnv();
  const samples = useRef<StatsSample[]>([]);
  const [state, setState] = useState<Omit<ContainerStats, "samples">>({ running: true, status: "connecting", version: 0 });

  useEffect(() => {
    if (!enabled) return;
    let done = false;
    samples.current = [];
    const bump = (patch: Partial<ContainerStats> = {}) => setState((s) => ({ ...s, ...patch, version: s.version + 1 }));
    const stream = openStream("stats", env, {
      params: () => ({ id }),
      onFrame: (f) => {
        switch (f.type) {
          case "history":
            samples.current = f.samples.slice(-RING);
            return bump({ running: f.running, status: "live", error: undefined });
          case "sample":
            samples.current.push(f.sample);
            if (samples.current.length > RING) samples.current.splice(0, samples.current.length - RING);
            return bump({ status: "live" });
          case "running":
            return bump({ running: f.running });
          case "end":
            done = true;
            return bump({ status: "ended", running: false });
          case "error":
            if (!isTransient(f.code)) done = true;
            return bump({ error: f.message, status: isTransient(f.code) ? "reconnecting" : "ended" });
        }
      },
      onError: (e) => {
        done = true;
        bump({ error: e.message, status: "ended" });
      },
      onClosed: () => {
        if (done) return;
        bump({ status: "reconnecting" });
        setTimeout(() => !done && stream.resubscribe(), 1000);
      },
    });
    return () => {
      done = true;
      stream.close();
    };
  }, [env, id, enabled]);

  return { ...state, samples: samples.current };
}

/** Bytes per second between consecutive samples (a counter that went back, a restart, gives 0). */
export function rates(samples: StatsSample[], pick: (s: StatsSample) => number): number[] {
  const out: number[] = new Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const dt = a ? (b.t - a.t) / 1000 : 0;
    out[i] = a && dt > 0 ? Math.max(0, (pick(b) - pick(a)) / dt) : 0;
  }
  return out;
}
