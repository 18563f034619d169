/**
 * The stats capability: `/ws/stats` (one container's ring then its samples,
 * or every running container once a second), `stats.history` (1-minute
 * averages from SQLite) and `stats.info`. One collector (collector.ts) holds
 * one engine stream per container for every viewer.
 */
import type { IncomingMessage } from "node:http";
import type Docker from "dockerode";
import type { WebSocket } from "ws";
import { type Capability, defineCapability, type EngineContext } from "../capability";
import type { ContainerSummary } from "../engine/protocol";
import { toRuntimeError } from "../engine/errors";
import { channelParams } from "../protocol/query-params";
import { frameSender } from "../server";
import { StatsCollector } from "./collector";
import { StatsHistory } from "./history";
import { STATS_CHANNEL, type StatsFrame, statsMethods, statsParamsSchema, type StatsResults } from "./protocol";

export function statsCapability(ctx: EngineContext): Capability {
  const history = new StatsHistory(ctx.dataDir);
  const collector = new StatsCollector(ctx.docker, ctx.hub, history);
  // BERTH_STATS_RECORD=all: history for every running container, watched or not.
  let recordAll: (() => void) | undefined;
  return defineCapability<typeof statsMethods, StatsResults>({
    name: "stats",
    methods: statsMethods,
    handlers: {
      "stats.history": async (input) => {
        // Kept by name: a container removed since is still named by its name.
        const c = ctx.lookup(input.id);
        const name = c?.name ?? input.id;
        return { id: c?.id ?? "", name, minutes: history.read(name, input.since, input.until) };
      },
      "stats.info": async () => ({ opened: collector.opened, streams: collector.streams(), historyRows: history.rows() }),
    },
    channels: { [STATS_CHANNEL]: statsChannel(ctx, collector) },
    start: () => {
      history.start();
      collector.start();
      if (process.env.BERTH_STATS_RECORD === "all") recordAll = collector.watchAll(() => undefined);
    },
    stop: () => {
      recordAll?.();
      collector.stop();
      history.stop();
    },
  });
}

function statsChannel(ctx: EngineContext, collector: StatsCollector) {
  return (ws: WebSocket, _req: IncomingMessage, url: URL): void => {
    const send = frameSender(ws);
    const frame = (f: StatsFrame) => send(JSON.stringify(f));
    const params = channelParams(ws, url, statsParamsSchema);
    if (!params) return;
    if ("all" in params) {
      const stop = collector.watchAll(send);
      ws.on("close", stop);
      return;
    }
    const id = params.id;
    void find(ctx, id).then(
      (c) => {
        if (ws.readyState !== ws.OPEN) return;
        if (c) return void watchOne(c);
        frame({ type: "error", code: "NOT_FOUND", message: `id: no container "${id}"`, field: "id" });
        ws.close(1000);
      },
      (err: unknown) => {
        frame({ type: "error", ...toRuntimeError(err) });
        ws.close(1000);
      },
    );

    function watchOne(c: ContainerSummary) {
      const running = c.state === "running" || c.state === "paused";
      const stop = collector.watch(c, {
        sample: (_s, json) => send(json),
        state: (up) => frame({ type: "running", running: up }),
        end: () => {
          frame({ type: "end" });
          ws.close(1000);
        },
      });
      frame({ type: "history", id: c.id, name: c.name, running, samples: collector.ring(c.id) });
      ws.on("close", stop);
    }
  };
}

/**
 * The container from the live list, or, when the list has not heard of it yet
 * (a page opened right after `docker run`), from the engine; undefined when
 * the engine has no such container.
 */
async function find(ctx: EngineContext, ref: string): Promise<ContainerSummary | undefined> {
  const known = ctx.lookup(ref);
  if (known) return known;
  try {
    const c = await ctx.docker.getContainer(ref).inspect();
    return { ...(ctx.lookup(c.Id) ?? fromInspect(c)) };
  } catch (err) {
    if ((err as { statusCode?: number })?.statusCode === 404) return undefined;
    throw err;
  }
}

function fromInspect(c: Docker.ContainerInspectInfo): ContainerSummary {
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ""),
    image: c.Config.Image,
    imageId: c.Image,
    command: "",
    created: Math.floor(Date.parse(c.Created) / 1000),
    state: c.State.Status,
    status: "",
    ports: [],
    networks: [],
    labels: c.Config.Labels ?? {},
  };
}
