"use client";
/**
 * Calls `onChange` (at most once every half second) when the engine reports an
 * image event (pull, tag, untag, delete, load, import, build) or a container
 * being created or destroyed (which changes who uses an image): list and image
 * pages refetch then, rather than polling.
 */
import { useEffect, useRef } from "react";
import { openStream } from "../../_lib/live-streams";

const CONTAINER_ACTIONS = new Set(["create", "destroy"]);

export function useImageEvents(env: string, onChange: () => void): void {
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
      params: () => ({ type: ["image", "container"] }),
      onFrame: (f) => {
        if (f.type !== "event") return;
        if (f.event.type === "image" || CONTAINER_ACTIONS.has(f.event.action)) poke();
      },
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, [env]);
}
