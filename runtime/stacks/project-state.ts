/**
 * What the engine holds of a compose project, found the way the compose CLI
 * finds it: by the `com.docker.compose.project` label on containers, networks
 * and volumes. Shared by list, get, deploy, actions and down.
 */
import type Docker from "dockerode";
import { COMPOSE_LABELS, type ComposeService } from "../compose/model";
import { engineCall } from "../engine/errors";
import type { StackContainer } from "./protocol";

export interface ProjectContainer extends StackContainer {
  labels: Record<string, string>;
  /** The image id the container runs. */
  imageId: string;
}

export function toStackContainer(c: Docker.ContainerInfo): ProjectContainer {
  const labels = c.Labels ?? {};
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status ?? "")?.[1]?.replace("health: ", "");
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? "").replace(/^\//, ""),
    service: labels[COMPOSE_LABELS.service] ?? "",
    number: Number(labels[COMPOSE_LABELS.number] ?? 0) || 0,
    oneoff: (labels[COMPOSE_LABELS.oneoff] ?? "False").toLowerCase() === "true",
    state: c.State,
    status: c.Status,
    ...(health ? { health } : {}),
    image: c.Image,
    imageId: c.ImageID,
    ...(labels[COMPOSE_LABELS.configHash] ? { configHash: labels[COMPOSE_LABELS.configHash] } : {}),
    ports: (c.Ports ?? []).map((p) => ({
      ...(p.IP ? { hostIp: p.IP } : {}),
      ...(p.PublicPort ? { hostPort: p.PublicPort } : {}),
      containerPort: p.PrivatePort,
      protocol: p.Type,
    })),
    labels,
  };
}

/** Every container of the project (all states, one-off included), by container number. */
export async function projectContainers(docker: Docker, project: string): Promise<ProjectContainer[]> {
  const list = await engineCall(`stack ${project}`, () => docker.listContainers({ all: true, filters: { label: [`${COMPOSE_LABELS.project}=${project}`] } }));
  return list.map(toStackContainer).sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
}

/** Every compose-labelled container on the engine, grouped by project. */
export async function allProjects(docker: Docker): Promise<Map<string, ProjectContainer[]>> {
  const list = await engineCall("stacks", () => docker.listContainers({ all: true, filters: { label: [COMPOSE_LABELS.project] } }));
  const out = new Map<string, ProjectContainer[]>();
  for (const c of list) {
    const project = c.Labels?.[COMPOSE_LABELS.project];
    if (!project) continue;
    const l = out.get(project) ?? [];
    l.push(toStackContainer(c));
    out.set(project, l);
  }
  return out;
}

/**
 * Services in dependency order (a service after everything it depends on), the
 * file's order otherwise. The loader refuses cycles; one left here is broken at
 * the file's order rather than looping.
 */
export function dependencyOrder<S extends Pick<ComposeService, "name" | "dependsOn" | "networkMode">>(services: S[]): S[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: S[] = [];
  const visit = (s: S) => {
    if (done.has(s.name) || visiting.has(s.name)) return;
    visiting.add(s.name);
    const deps = s.dependsOn.map((d) => d.service);
    const shared = /^service:(.+)$/.exec(s.networkMode ?? "")?.[1];
    if (shared) deps.push(shared);
    for (const d of deps) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    visiting.delete(s.name);
    done.add(s.name);
    out.push(s);
  };
  services.forEach(visit);
  return out;
}

/** The state of one project's non-oneoff containers as the list shows it. */
export function projectStatus(containers: ProjectContainer[]): "running" | "partial" | "stopped" | "empty" {
  const main = containers.filter((c) => !c.oneoff);
  if (main.length === 0) return "empty";
  const running = main.filter((c) => c.state === "running").length;
  return running === main.length ? "running" : running === 0 ? "stopped" : "partial";
}

/** Ignores "already in that state" (304) and "already gone" (404) answers of start/stop/remove. */
export async function tolerant(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 304 || status === 404) return;
    throw err;
  }
}
