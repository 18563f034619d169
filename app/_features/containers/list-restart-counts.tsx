"use client";
/**
 * Restart counts are not in Docker's list: they are read from inspect, only for
 * the rows on screen (a thousand ids would not fit one request, nor need to be
 * inspected), and read again for a row whenever its status changes.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { useTRPCClient } from "~/app/_lib/trpc";

/** Ids per request: a GET's URL stays far below the dashboard's 8 KB limit. */
const CHUNK = 40;

export function useRestartCounts(env: string, visible: ContainerSummary[], enabled: boolean): Record<string, number> {
  const client = useTRPCClient();
  const [known, setKnown] = useState<Record<string, { status: string; count: number }>>({});
  // What was asked for, by id: the status it was asked at (so a change asks again).
  const asked = useRef(new Map<string, string>());
  const signature = visible.map((c) => `${c.id}:${c.status}`).join("|");

  useEffect(() => {
    asked.current.clear();
    setKnown({});
  }, [env]);

  useEffect(() => {
    if (!enabled) return;
    const need = visible.filter((c) => asked.current.get(c.id) !== c.status);
    if (need.length === 0) return;
    for (const c of need) asked.current.set(c.id, c.status);
    // Not cancelled when the rows move on: what was asked is remembered as asked.
    void (async () => {
      for (let i = 0; i < need.length; i += CHUNK) {
        const part = need.slice(i, i + CHUNK);
        try {
          const counts = await client.containers.restartCounts.query({ env, ids: part.map((c) => c.id) });
          setKnown((k) => {
            const next = { ...k };
            for (const c of part) if (counts[c.id] !== undefined) next[c.id] = { status: c.status, count: counts[c.id] };
            return next;
          });
        } catch {
          // ask again next time these rows are on screen
          for (const c of part) asked.current.delete(c.id);
        }
      }
    })();
    // `signature` stands for `visible`: a new array with the same rows asks nothing.
  }, [signature, enabled, env, client]);

  return useMemo(() => Object.fromEntries(Object.entries(known).map(([id, v]) => [id, v.count])), [known]);
}
