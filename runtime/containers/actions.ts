/**
 * Containers: the list as ContainerSummary, and the lifecycle actions.
 * Docker's 304 ("already started/stopped") is an answer, not an error: changed:false.
 */
import type Docker from "dockerode";
import { RuntimeFailure, toRuntimeError } from "../engine/client";
import type { ActionResult, ContainerSummary, PortBinding } from "../protocol/index";

/** Finds a cached summary by id, id prefix or name, to name objects in answers without a Docker call. */
export type ContainerLookup = (idOrName: string) => ContainerSummary | undefined;

export function toContainerSummary(info: Docker.ContainerInfo): ContainerSummary {
  const networks = Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({
    name,
    ip: n?.IPAddress || undefined,
  }));
  // Newer engines (API 1.52+) report Health in the list; older ones only in Status.
  const healthField = (info as { Health?: { Status?: string } }).Health?.Status;
  return {
    id: info.Id,
    name: primaryName(info.Names ?? []),
    image: info.Image,
    imageId: info.ImageID,
    command: info.Command ?? "",
    created: info.Created,
    state: info.State ?? "",
    status: info.Status ?? "",
    health: healthField && healthField !== "none" ? healthField : parseHealth(info.Status ?? ""),
    ports: (info.Ports ?? []).map(toPort),
    networks,
    labels: info.Labels ?? {},
  };
}

/** Names holds legacy link aliases too ("/other/alias"); the container's own name has one slash. */
function primaryName(names: string[]): string {
  const own = names.find((n) => n.lastIndexOf("/") === 0) ?? names[0] ?? "";
  return own.replace(/^\//, "");
}

function toPort(p: Docker.Port): PortBinding {
  return {
    ip: p.IP || undefined,
    privatePort: p.PrivatePort,
    publicPort: p.PublicPort || undefined,
    type: p.Type,
  };
}

/** "Up 3 minutes (healthy)" → healthy; "(health: starting)" → starting. */
export function parseHealth(status: string): string | undefined {
  const m = /\((healthy|unhealthy|health: starting)\)/.exec(status);
  if (!m) return undefined;
  return m[1] === "health: starting" ? "starting" : m[1];
}

export async function listContainerSummaries(docker: Docker): Promise<ContainerSummary[]> {
  try {
    return (await docker.listContainers({ all: true })).map(toContainerSummary);
  } catch (err) {
    throw new RuntimeFailure(toRuntimeError(err, "containers"));
  }
}

/** One container's summary, or undefined once it is gone. */
export async function fetchContainerSummary(docker: Docker, id: string): Promise<ContainerSummary | undefined> {
  // The id filter is an unanchored match on the engine side: keep only the exact id.
  const found = await docker.listContainers({ all: true, filters: { id: [id] } });
  const info = found.find((c) => c.Id === id);
  return info ? toContainerSummary(info) : undefined;
}

type Action = "start" | "stop" | "restart" | "remove";

export interface ActionOptions {
  timeout?: number;
  force?: boolean;
  volumes?: boolean;
}

export async function containerAction(
  docker: Docker,
  action: Action,
  id: string,
  opts: ActionOptions = {},
  lookup?: ContainerLookup,
): Promise<ActionResult> {
  const known = lookup?.(id);
  const name = known?.name;
  const subject = `container ${name ?? id}`;
  const container = docker.getContainer(id);
  const answer = (changed: boolean): ActionResult => ({ id: known?.id ?? id, ...(name ? { name } : {}), changed });
  try {
    switch (action) {
      case "start":
        await container.start();
        break;
      case "stop":
        await container.stop(opts.timeout === undefined ? {} : { t: opts.timeout });
        break;
      case "restart":
        await container.restart(opts.timeout === undefined ? {} : { t: opts.timeout });
        break;
      case "remove":
        await container.remove({ force: opts.force ?? false, v: opts.volumes ?? false });
        break;
    }
    return answer(true);
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 304) return answer(false);
    const mapped = toRuntimeError(err, subject);
    if (action === "remove" && status === 409 && !opts.force && /running/i.test(toRuntimeError(err).message)) {
      throw new RuntimeFailure({
        code: "CONFLICT",
        message: `${subject} is running: stop it or force removal`,
        dockerStatus: 409,
      });
    }
    throw new RuntimeFailure(mapped);
  }
}
