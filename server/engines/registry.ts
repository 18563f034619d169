/**
 * Environments → their connection (runtime client, live cache). Every call that
 * touches an engine names its environment and gets its connection here; an
 * unknown id is a NOT_FOUND that names it. Kept on globalThis because Next's
 * bundle and the custom server are separate module graphs in one process.
 */
import { BerthError } from "../errors";
import type { LiveCache } from "./live-cache";
import type { RuntimeClient } from "./runtime-client";

export interface EnvironmentInfo {
  id: string;
  name: string;
  /** "local": the engine in DOCKER_HOST, through the runtime this dashboard supervises. */
  kind: string;
  dockerHost: string;
}

export interface Connection extends EnvironmentInfo {
  runtime: RuntimeClient;
  live: LiveCache;
}

const g = globalThis as unknown as { __berthConnections?: Map<string, Connection> };
function table(): Map<string, Connection> {
  return (g.__berthConnections ??= new Map());
}

export function addConnection(conn: Connection): void {
  table().set(conn.id, conn);
}

/** The connection of one environment; NOT_FOUND (naming it) when there is none. */
export function connection(envId: string): Connection {
  const conn = table().get(envId);
  if (!conn) throw new BerthError("NOT_FOUND", `env: environment "${envId.slice(0, 64)}" not found`, { field: "env" });
  return conn;
}

export function findConnection(envId: string): Connection | undefined {
  return table().get(envId);
}

export function connections(): Connection[] {
  return [...table().values()];
}

/** Where `/` and the old, unscoped addresses lead: the first environment registered. */
export function defaultEnvironmentId(): string | undefined {
  return table().keys().next().value;
}

export function closeConnections(): void {
  for (const c of table().values()) c.live.close();
  table().clear();
}
