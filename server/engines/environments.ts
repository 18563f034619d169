/**
 * The environments Berth knows (the `Environment` table) and how each becomes a
 * connection at start: the seeded `local` one is the engine in DOCKER_HOST through
 * the runtime this dashboard supervises. Only kind "local" can be connected yet;
 * a row of any other kind (agents, later) is left out with a line in the log, so
 * its pages and calls answer NOT_FOUND rather than reach the wrong engine.
 */
import { db } from "../db";
import { liveCache } from "./live-cache";
import { addConnection, type Connection } from "./registry";
import { runtimeClient } from "./runtime-client";

/** The id of the environment seeded for DOCKER_HOST. Used at start only: everything else reads the registry. */
export const SEEDED_ENVIRONMENT_ID = "local";

export interface EnvironmentRow {
  id: string;
  name: string;
  kind: string;
  dockerHost: string | null;
  runtimeAddress: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Creates the DOCKER_HOST environment when missing; keeps its dockerHost in step with DOCKER_HOST when present. */
export async function seedLocalEnvironment(dockerHost: string): Promise<void> {
  await db.environment.upsert({
    where: { id: SEEDED_ENVIRONMENT_ID },
    create: { id: SEEDED_ENVIRONMENT_ID, name: SEEDED_ENVIRONMENT_ID, kind: "local", dockerHost },
    update: { dockerHost },
  });
}

export async function listEnvironments(): Promise<EnvironmentRow[]> {
  return db.environment.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function getEnvironment(id: string): Promise<EnvironmentRow | null> {
  return db.environment.findUnique({ where: { id } });
}

/** Where a runtime listens: "unix:/path" or "host:port". */
function runtimeTarget(address: string): { socketPath: string } | { host: string; port: number } {
  if (address.startsWith("unix:")) return { socketPath: address.slice(5) };
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/**
 * Registers one connection per environment that can be reached, and says why
 * for each one that cannot. `supervised` is the runtime this process started
 * (for the engine in DOCKER_HOST); a local environment on another engine needs
 * its own runtime address.
 */
export function connectEnvironments(
  rows: EnvironmentRow[],
  supervised: { address: string; key: string; dockerHost: string },
  log: (line: string) => void,
): Connection[] {
  const made: Connection[] = [];
  for (const row of rows) {
    if (row.kind !== "local") {
      log(`environment "${row.id}": kind "${row.kind}" is not supported yet; it is not connected`);
      continue;
    }
    const dockerHost = row.dockerHost ?? supervised.dockerHost;
    const address = row.runtimeAddress ?? (dockerHost === supervised.dockerHost ? supervised.address : undefined);
    if (!address) {
      log(`environment "${row.id}": its engine (${dockerHost}) is not DOCKER_HOST and it names no runtime address; it is not connected`);
      continue;
    }
    const runtime = runtimeClient({ ...runtimeTarget(address), key: supervised.key });
    const conn: Connection = { id: row.id, name: row.name, kind: row.kind, dockerHost, runtime, live: liveCache(runtime, dockerHost) };
    addConnection(conn);
    made.push(conn);
  }
  return made;
}
