"use client";
/**
 * Calls `onChange` (at most once every half second) when the engine reports an
 * event about the objects a page shows, so it refetches then rather than
 * polling:
 * - images, volumes or networks: their own events, and a container created,
 *   removed, started or stopped (which changes who uses them);
 * - stacks: any container event but an exec's (a stack's status, services and
 *   health are its containers'), and its networks' and volumes' events.
 */
import { useEffect, useRef } from "react";
import { openStream } from "./live-streams";

type Watched = "image" | "volume" | "network" | "stack";

const LIFECYCLE = new Set(["create", "destroy", "start", "die"]);

const WATCH: Record<Watched, { types: string[]; container: (action: string) => boolean }> = {
  image: { types: ["image", "container"], container: (a) => LIFECYCLE.has(a) },
  volume: { types: ["volume", "container"], container: (a) => LIFECYCLE.has(a) },
  network: { types: ["network", "container"], container: (a) => LIFECYCLE.has(a) },
  stack: { types: ["container", "network", "volume"], container: (a) => !a.startsWith("exec_") },
};

export function useObjectEvents(env: string, watched: Watched, onChange: () => void): void {
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
    const { types, container } = WATCH[watched];
    const stream = openStream("events", env, {
      params: () => ({ type: types }),
      onFrame: (f) => {
        if (f.type !== "event") return;
        if (f.event.type === "container" ? container(f.event.action) : types.includes(f.event.type)) poke();
      },
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, [env, watched]);
}
