/**
 * The engine capability: `engine.status` and the `/ws/events` channel (engine
 * status, container snapshot, deltas, raw Docker events), both read from the
 * events hub the runtime keeps for its engine.
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { frameSender } from "../server";
import { engineMethods, type EngineResults, EVENTS_CHANNEL } from "./protocol";

export function engineCapability({ hub }: EngineContext): Capability {
  return defineCapability<typeof engineMethods, EngineResults>({
    name: "engine",
    methods: engineMethods,
    handlers: { "engine.status": async () => hub.currentStatus() },
    channels: {
      [EVENTS_CHANNEL]: (ws) => {
        const send = frameSender(ws);
        ws.on("close", hub.subscribe((_frame, json) => send(json)));
      },
    },
  });
}
