/**
 * What the checks read from the engine, each asked once per preflight and each
 * bounded in time: an engine that does not answer turns into a check that says
 * what could not be checked, never a preflight that hangs or throws.
 */
import os from "node:os";
import type Docker from "dockerode";
import type { DockerHostSpec } from "../../engine/client";
import { toRuntimeError } from "../../engine/errors";
import type { PreflightCheck } from "../protocol";

/** One engine question: a few seconds, normally milliseconds. */
export const ENGINE_DEADLINE_MS = 5_000;

/** Rejects with "<what> did not answer within N s" when `work` takes longer than `ms`. */
export function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  work.catch(() => undefined); // a late failure after the deadline must not be unhandled
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** An error in words (the engine's own message, without a stack). */
export function reason(err: unknown): string {
  if (err instanceof Error && /did not answer within/.test(err.message)) return err.message;
  return toRuntimeError(err).message;
}

export interface EngineFacts {
  containers(): Promise<Docker.ContainerInfo[]>;
  info(): Promise<EngineInfo>;
  networks(): Promise<Docker.NetworkInspectInfo[]>;
}

export interface EngineInfo {
  MemTotal?: number;
  Name?: string;
  RegistryConfig?: { Mirrors?: string[] };
}

export function engineFacts(docker: Docker): EngineFacts {
  const once = <T>(make: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= make());
  };
  return {
    containers: once(() => within(ENGINE_DEADLINE_MS, "the engine's container list", docker.listContainers({ all: true }))),
    info: once(() => within(ENGINE_DEADLINE_MS, "the engine's info", docker.info() as Promise<EngineInfo>)),
    networks: once(() => within(ENGINE_DEADLINE_MS, "the engine's network list", docker.listNetworks())),
  };
}

/** A check that could not be made: a warning saying why (the deploy itself will meet the same engine). */
export function notChecked(id: string, title: string, err: unknown): PreflightCheck {
  return { id, title, status: "warn", message: `could not be checked: ${reason(err)}`, fix: "check that the engine answers (Engine status), then run the checks again" };
}

/** The container's own name, without the leading slash. */
export const containerName = (c: Docker.ContainerInfo) => (c.Names?.find((n) => n.lastIndexOf("/") === 0) ?? c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, "");

export const PROJECT_LABEL = "com.docker.compose.project";

/**
 * Whether the engine runs on the runtime's own host, so a bind probe and
 * /proc/meminfo here speak of the engine's host: a unix socket, a loopback
 * address, or an engine whose host name (docker info Name) is this host's.
 * The runtime is meant to run there (beside a local engine now, as the agent
 * on each host later); DOCKER_HOST pointing elsewhere is the exception.
 */
export async function engineIsLocal(host: DockerHostSpec, facts: EngineFacts): Promise<boolean> {
  if (host.kind === "unix") return true;
  if (host.kind === "tcp" && /^(localhost|127\.\d+\.\d+\.\d+|::1)$/i.test(host.host)) return true;
  try {
    return (await facts.info()).Name === os.hostname();
  } catch {
    return false;
  }
}
