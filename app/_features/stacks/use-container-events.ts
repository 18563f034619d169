"use client";
/**
 * Calls `onChange` (at most once every half second) when the engine reports a
 * container event in the environment: a stack's status, counts and services
 * follow its containers, so the stacks pages refetch then rather than poll.
 */
import { useEffect, useRef } from "react";
import { openStream } from "~/app/_lib/live-streams";

export function useContainerEvents(env: string, onChange: () => void): void {
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = openStream("events", env, {
      params: () => ({ type: ["container", "network", "volume"] }),
      onFrame: (f) => {
        if (f.type !== "event" || f.event.action.startsWith("exec_")) return;
        timer ??= setTimeout(() => {
          timer = undefined;
          callback.current();
        }, 500);
      },
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, [env]);
}
