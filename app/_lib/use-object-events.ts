"use client";
/**
 * Calls `onChange` (at most once every half second) when the engine reports an
 * event about images, volumes or networks (or a container created, removed,
 * started or stopped, which changes who uses them): their pages refetch then,
 * rather than polling.
 */
import { useEffect, useRef } from "react";
import { openStream } from "./live-streams";

const CONTAINER_ACTIONS = new Set(["create", "destroy", "start", "die"]);

export function useObjectEvents(env: string, type: "image" | "volume" | "network", onChange: () => void): void {
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poke = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        callback.current();
      }, 500);
    };
    const stream = openStream("events", env, {
      params: () => ({ type: [type, "container"] }),
      onFrame: (f) => {
        if (f.type !== "event") return;
        if (f.event.type === type || CONTAINER_ACTIONS.has(f.event.action)) poke();
      },
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, [env, type]);
}
