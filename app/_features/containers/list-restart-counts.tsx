"use client";
/**
 * Restart counts are not in Docker's list: they are read from inspect, only for
 * the rows on screen (a thousand ids would not fit one request, nor need to be
 * inspected), and read again for a row whenever its status changes.
 *
 * The table asks with `want(rows on screen)` once it knows them (after sorting,
 * which may itself be by restart count), so the counts never wait for a second
 * render and the columns never change when they arrive.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { useTRPCClient } from "~/app/_lib/trpc";

/** Ids per request: a GET's URL stays far below the dashboard's 8 KB limit. */
const CHUNK = 40;
/** After a failed request, its rows are asked for again this much later (if still on screen). */
const RETRY_MS = 2_000;

export interface RestartCounts {
  /** By container id; a row not read yet is missing. */
  counts: Record<string, number>;
  /** The rows now on screen: those never read, or read at another status, are read. */
  want(visible: ContainerSummary[]): void;
}

export function useRestartCounts(env: string): RestartCounts {
  const client = useTRPCClient();
  const [known, setKnown] = useState<Record<string, { status: string; count: number }>>({});
  // By id, the status it was asked at: a new status asks again.
  const asked = useRef(new Map<string, string>());
  // Asked but not sent yet. One request at a time: requests sent together would be batched into one URL.
  const queue = useRef(new Map<string, string>());
  const sending = useRef(false);
  const last = useRef<ContainerSummary[]>([]);
  const retry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    asked.current.clear();
    queue.current.clear();
    setKnown({});
    return () => clearTimeout(retry.current);
  }, [env]);

  const want = useCallback(
    (visible: ContainerSummary[]) => {
      last.current = visible;
      const onScreen = new Set(visible.map((c) => c.id));
      // Rows scrolled past before their turn are not worth a request; they are asked if they come back.
      for (const id of [...queue.current.keys()]) {
        if (!onScreen.has(id)) {
          queue.current.delete(id);
          asked.current.delete(id);
        }
      }
      for (const c of visible) {
        if (asked.current.get(c.id) === c.status) continue;
        asked.current.set(c.id, c.status);
        queue.current.set(c.id, c.status);
      }
      if (sending.current || queue.current.size === 0) return;
      sending.current = true;
      void (async () => {
        try {
          while (queue.current.size > 0) {
            const part = [...queue.current.entries()].slice(0, CHUNK);
            for (const [id] of part) queue.current.delete(id);
            try {
              const counts = await client.containers.restartCounts.query({ env, ids: part.map(([id]) => id) });
              setKnown((k) => {
                const next = { ...k };
                for (const [id, status] of part) if (counts[id] !== undefined) next[id] = { status, count: counts[id] };
                return next;
              });
            } catch {
              for (const [id] of part) asked.current.delete(id);
              clearTimeout(retry.current);
              retry.current = setTimeout(() => want(last.current), RETRY_MS);
            }
          }
        } finally {
          sending.current = false;
        }
      })();
    },
    [client, env],
  );

  const counts = useMemo(() => Object.fromEntries(Object.entries(known).map(([id, v]) => [id, v.count])), [known]);
  return { counts, want };
}
