/**
 * The logs capability: the `/ws/logs` channel, the download routes and
 * (history/) the recorder and its methods. One subscription to the events hub
 * is shared by every log view that follows containers across restarts.
 */
import type Docker from "dockerode";
import { type Capability, defineCapability, type EngineContext } from "../capability";
import type { EventsHub } from "../engine/events-hub";
import type { DockerEvent } from "../engine/protocol";
import { downloadRoute } from "./download";
import { historyDownloadRoute } from "./history/download-route";
import { HistoryRecorder } from "./history/recorder";
import type { LogDeps } from "./pipeline";
import { HISTORY_DOWNLOAD_PREFIX, LOGS_CHANNEL, LOGS_DOWNLOAD_PREFIX, logsMethods, type LogsResults } from "./protocol";
import { logsChannel } from "./session";

export function logDeps(docker: Docker, hub: EventsHub): LogDeps {
  const listeners = new Set<(e: DockerEvent) => void>();
  let unsubscribe: (() => void) | undefined;
  return {
    docker,
    list: () => hub.list(),
    events: (listener) => {
      listeners.add(listener);
      unsubscribe ??= hub.subscribe((frame) => {
        if (frame.type !== "docker.event" || frame.event.type !== "container") return;
        for (const l of listeners) l(frame.event);
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = undefined;
        }
      };
    },
  };
}

export function logsCapability(ctx: EngineContext): Capability {
  const deps = logDeps(ctx.docker, ctx.hub);
  const history = new HistoryRecorder(deps, ctx.dataDir);
  return defineCapability<typeof logsMethods, LogsResults>({
    name: "logs",
    methods: logsMethods,
    handlers: {
      "logs.history.status": async () => history.status(),
      "logs.history.set": (input) => history.set(input),
      "logs.history.search": (input) => history.search(input),
    },
    channels: { [LOGS_CHANNEL]: logsChannel(deps) },
    routes: {
      [LOGS_DOWNLOAD_PREFIX]: downloadRoute(deps),
      [HISTORY_DOWNLOAD_PREFIX]: historyDownloadRoute(history),
    },
    start: () => history.start(),
    stop: () => history.stop(),
  });
}
