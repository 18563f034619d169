/**
 * What a capability (containers, logs, and later exec, stats, images…) hands the
 * runtime: its methods with their input schemas and handlers, its stream
 * channels and its plain HTTP routes. Each capability builds one from the engine
 * context; main.ts registers every one from capabilities.ts without naming any.
 */
import type Docker from "dockerode";
import type { Engine } from "./engine/client";
import type { EventsHub } from "./engine/events-hub";
import type { ContainerSummary } from "./engine/protocol";
import type { HandlersFor, MethodTable } from "./protocol/registry";
import type { Channels, Handlers, Routes } from "./server";

/** What every capability is built from: one engine and what the runtime keeps about it. */
export interface EngineContext {
  engine: Engine;
  docker: Docker;
  /** The live container list and engine status, from the engine's /events stream. */
  hub: EventsHub;
  /** The runtime's data directory (log history lives there). */
  dataDir: string;
  /** A container of the live list by id, id prefix or name, to name it in answers without a Docker call. */
  lookup: (idOrName: string) => ContainerSummary | undefined;
}

export interface Capability {
  /** Named in start-up errors. */
  name: string;
  /** Method name → the schema its input is validated with before the handler runs. */
  methods: MethodTable;
  handlers: Handlers;
  /** WebSocket paths (`/ws/<channel>`) → the stream's opener. */
  channels: Channels;
  /** Path prefixes → plain HTTP streams (downloads). */
  routes: Routes;
  /** Work that runs beside the server (e.g. recording log history); before it listens. */
  start?: () => void | Promise<void>;
  stop?: () => void | Promise<void>;
}

export type CapabilityFactory = (ctx: EngineContext) => Capability;

/**
 * A capability whose handlers are checked against its methods and result types:
 * `defineCapability<typeof fooMethods, FooResults>({ name, methods, handlers, … })`.
 */
export function defineCapability<M extends MethodTable, R extends { [K in keyof M]: unknown }>(spec: {
  name: string;
  methods: M;
  handlers: HandlersFor<M, R>;
  channels?: Channels;
  routes?: Routes;
  start?: () => void | Promise<void>;
  stop?: () => void | Promise<void>;
}): Capability {
  return {
    ...spec,
    handlers: spec.handlers as unknown as Handlers,
    channels: spec.channels ?? {},
    routes: spec.routes ?? {},
  };
}

/** Every capability's methods, handlers, channels and routes in one table each. */
export interface Registry {
  methods: MethodTable;
  handlers: Handlers;
  channels: Channels;
  routes: Routes;
}

/**
 * Joins the capabilities; a name two of them claim, or a method without a handler
 * (or the reverse), is a programming error that must stop the start: the message
 * names the capabilities and the name.
 */
export function registerCapabilities(capabilities: readonly Capability[]): Registry {
  const registry: Registry = { methods: {}, handlers: {}, channels: {}, routes: {} };
  const owners = { method: new Map<string, string>(), channel: new Map<string, string>(), route: new Map<string, string>() };
  const claim = (kind: keyof typeof owners, name: string, capability: string) => {
    const owner = owners[kind].get(name);
    if (owner !== undefined) {
      throw new Error(`capabilities ${owner} and ${capability} both register the ${kind} ${JSON.stringify(name)}`);
    }
    owners[kind].set(name, capability);
  };
  for (const cap of capabilities) {
    for (const name of Object.keys(cap.methods)) {
      if (!Object.hasOwn(cap.handlers, name)) throw new Error(`capability ${cap.name}: method ${JSON.stringify(name)} has no handler`);
      claim("method", name, cap.name);
      registry.methods[name] = cap.methods[name];
      registry.handlers[name] = cap.handlers[name];
    }
    for (const name of Object.keys(cap.handlers)) {
      if (!Object.hasOwn(cap.methods, name)) throw new Error(`capability ${cap.name}: handler ${JSON.stringify(name)} has no method schema`);
    }
    for (const [path, open] of Object.entries(cap.channels)) {
      if (!path.startsWith("/ws/")) throw new Error(`capability ${cap.name}: channel ${JSON.stringify(path)} must start with /ws/`);
      claim("channel", path, cap.name);
      registry.channels[path] = open;
    }
    for (const [prefix, route] of Object.entries(cap.routes)) {
      if (!prefix.startsWith("/") || prefix.startsWith("/rpc/")) {
        throw new Error(`capability ${cap.name}: route ${JSON.stringify(prefix)} must be a path outside /rpc/`);
      }
      claim("route", prefix, cap.name);
      registry.routes[prefix] = route;
    }
  }
  return registry;
}
