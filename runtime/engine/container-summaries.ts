/**
 * Docker's container list as ContainerSummary: what the events hub keeps live
 * and `containers.list` answers.
 */
import type Docker from "dockerode";
import { RuntimeFailure, toRuntimeError } from "./errors";
import type { ContainerSummary, PortBinding } from "./protocol";

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
