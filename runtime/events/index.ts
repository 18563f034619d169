/**
 * The events capability: `/ws/engine-events`, the engine's events for one view,
 * filtered, with history on request. Live events come from the events hub the
 * runtime already keeps (its one engine connection); history is one engine
 * request per view that asks for it.
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { historyReader } from "./history";
import { ENGINE_EVENTS_CHANNEL } from "./protocol";
import { engineEventsChannel } from "./session";

export function eventsCapability(ctx: EngineContext): Capability {
  return defineCapability<Record<string, never>, Record<string, never>>({
    name: "events",
    methods: {},
    handlers: {},
    channels: { [ENGINE_EVENTS_CHANNEL]: engineEventsChannel(ctx.hub, historyReader(ctx.docker)) },
  });
}
