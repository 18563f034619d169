/**
 * One environment's live view: its engine status and container list, kept
 * current from the runtime's events stream, so pages and list calls read memory
 * instead of asking the engine. Listeners get every change as the frame that made it.
 */
import type { ContainerSummary, EngineStatus, EventsFrame } from "../../runtime/protocol/index";
import { findContainer } from "../../runtime/protocol/container-ref";
import type { RuntimeClient } from "./runtime-client";

export type LiveFrame = Extract<EventsFrame, { type: "engine" | "containers.snapshot" | "container.upsert" | "container.remove" }>;

export interface LiveCache {
  engine(): EngineStatus;
  containers(): ContainerSummary[];
  /** One container by full id, exact name or unique id prefix (Docker's rule), without copying the list. */
  find(ref: string): ContainerSummary | undefined;
  /** False while the runtime's events stream is down: the list is then not current. */
  connected(): boolean;
  /** Called with every change; returns the function that stops it. */
  listen(onFrame: (frame: LiveFrame) => void): () => void;
  close(): void;
}

export function liveCache(runtime: RuntimeClient, dockerHost: string): LiveCache {
  const containers = new Map<string, ContainerSummary>();
  const listeners = new Set<(frame: LiveFrame) => void>();
  let up = false;
  let engine: EngineStatus = { reachable: false, reason: "Berth runtime is starting", dockerHost, checkedAt: Date.now() };
  const emit = (frame: LiveFrame) => {
    for (const l of [...listeners]) l(frame);
  };

  const sub = runtime.subscribe(
    "events",
    (frame) => {
      switch (frame.type) {
        case "engine":
          engine = frame.engine;
          break;
        case "containers.snapshot":
          containers.clear();
          for (const c of frame.containers) containers.set(c.id, c);
          break;
        case "container.upsert":
          containers.set(frame.container.id, frame.container);
          break;
        case "container.remove":
          containers.delete(frame.id);
          break;
        default:
          return;
      }
      emit(frame as LiveFrame);
    },
    (connected, detail) => {
      up = connected;
      if (connected) return;
      engine = {
        reachable: false,
        // A runtime that is up but stopped answering is not one being restarted.
        reason: detail?.startsWith("Berth runtime is not answering") ? detail : "Berth runtime is not running (it is being restarted)",
        dockerHost,
        checkedAt: Date.now(),
      };
      emit({ type: "engine", engine });
    },
  );

  return {
    engine: () => engine,
    containers: () => [...containers.values()],
    find: (ref) => findContainer(ref, containers.values()),
    connected: () => up,
    listen(onFrame) {
      listeners.add(onFrame);
      return () => listeners.delete(onFrame);
    },
    close() {
      listeners.clear();
      sub.close();
    },
  };
}
