/**
 * stacks.list and stacks.get: every compose project on the engine (by the
 * project label on its containers, all states) plus the stacks Berth has files
 * for (a stack taken down but kept is listed, empty). A CLI project is
 * adoptable when every config file its containers name is readable here.
 */
import fs from "node:fs";
import type Docker from "dockerode";
import type { EngineContext } from "../capability";
import { configHash } from "../compose/config-hash";
import { COMPOSE_LABELS, type ComposeProject } from "../compose/model";
import { engineCall, RuntimeFailure } from "../engine/errors";
import { BERTH_ACCESS_LABEL } from "../protocol/berth-labels";
import { loadStack } from "./load-stack";
import type { StacksHandlers } from "./handler-types";
import { allProjects, type ProjectContainer, projectContainers, projectStatus } from "./project-state";
import type { StackDetail, StackServiceDetail, StackSummary } from "./protocol";
import { latestVersion, readStackFiles, stackFolders } from "./store";

function readable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where the CLI ran and which files it read, from the first container that says so. */
export function cliOrigin(containers: ProjectContainer[]): { workingDir?: string; configFiles?: string[] } {
  const c = containers.find((x) => x.labels[COMPOSE_LABELS.configFiles] || x.labels[COMPOSE_LABELS.workingDir]);
  if (!c) return {};
  const workingDir = c.labels[COMPOSE_LABELS.workingDir] || undefined;
  const files = (c.labels[COMPOSE_LABELS.configFiles] ?? "").split(",").map((f) => f.trim()).filter(Boolean);
  const configFiles = files.map((f) => (f.startsWith("/") || !workingDir ? f : `${workingDir.replace(/\/$/, "")}/${f}`));
  return { ...(workingDir ? { workingDir } : {}), ...(configFiles.length ? { configFiles } : {}) };
}

/** Whether a CLI project's files can be imported, and why not. */
export function adoptability(origin: { configFiles?: string[] }): { adoptable: boolean; adoptHint?: string } {
  if (!origin.configFiles?.length) return { adoptable: false, adoptHint: "its containers do not say which compose file started them; copy the file into Berth with New stack and the same name" };
  const unreadable = origin.configFiles.find((f) => !readable(f));
  if (unreadable) return { adoptable: false, adoptHint: `its file ${unreadable} is not readable here; copy it into Berth with New stack and the same name` };
  return { adoptable: true };
}

async function summary(ctx: EngineContext, name: string, containers: ProjectContainer[], berth: boolean): Promise<StackSummary> {
  const main = containers.filter((c) => !c.oneoff);
  const origin = cliOrigin(containers);
  const latest = berth ? await latestVersion(ctx.dataDir, name) : undefined;
  const controlId = containers.map((c) => c.labels[BERTH_ACCESS_LABEL]).find(Boolean);
  let services = new Set(main.map((c) => c.service)).size;
  if (berth) {
    const files = await readStackFiles(ctx.dataDir, name);
    const inFile = files ? await tryLoad(ctx, name, files) : undefined;
    if (inFile) services = new Set([...inFile.services.map((s) => s.name), ...main.map((c) => c.service)]).size;
  }
  return {
    name,
    source: berth ? "berth" : "cli",
    status: projectStatus(containers),
    services,
    containers: { running: main.filter((c) => c.state === "running").length, total: main.length },
    ...origin,
    ...(berth ? { adoptable: false } : adoptability(origin)),
    ...(latest ? { version: latest.version, updatedAt: latest.at } : {}),
    ...(controlId ? { controlId } : {}),
  };
}

async function tryLoad(ctx: EngineContext, name: string, files: { file: string; env: string }): Promise<ComposeProject | undefined> {
  try {
    return await loadStack(ctx.dataDir, name, files.file, files.env);
  } catch {
    return undefined;
  }
}

async function networkExists(docker: Docker, name: string): Promise<string | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()).Id as string;
  } catch {
    return undefined;
  }
}

async function volumeExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch {
    return false;
  }
}

export function listHandlers(ctx: EngineContext): StacksHandlers<"stacks.list" | "stacks.get"> {
  return {
    "stacks.list": async () => {
      const projects = await allProjects(ctx.docker);
      const folders = new Set(await stackFolders(ctx.dataDir));
      const names = [...new Set([...projects.keys(), ...folders])].sort();
      return Promise.all(names.map((n) => summary(ctx, n, projects.get(n) ?? [], folders.has(n))));
    },

    "stacks.get": async ({ name }) => {
      const containers = await projectContainers(ctx.docker, name);
      const files = await readStackFiles(ctx.dataDir, name);
      if (!files && containers.length === 0) throw new RuntimeFailure({ code: "NOT_FOUND", field: "name", message: `name: no stack ${name} on this engine` });
      const base = await summary(ctx, name, containers, !!files);
      const project = files ? await tryLoad(ctx, name, files) : undefined;
      const main = containers.filter((c) => !c.oneoff);
      const services: StackServiceDetail[] = [];
      const strip = ({ labels: _l, imageId: _i, ...c }: ProjectContainer) => c;
      for (const s of project?.services ?? []) {
        const hash = configHash(s);
        services.push({
          name: s.name,
          image: s.spec.image,
          replicas: s.replicas,
          configHash: hash,
          orphan: false,
          containers: main.filter((c) => c.service === s.name).map((c) => ({ ...strip(c), upToDate: c.configHash === hash })),
        });
      }
      for (const svc of [...new Set(main.map((c) => c.service))].filter((n) => !services.some((s) => s.name === n))) {
        const cs = main.filter((c) => c.service === svc);
        services.push({ name: svc, image: cs[0]?.image ?? "", replicas: 0, orphan: !!project, containers: cs.map(strip) });
      }
      const networks: StackDetail["networks"] = [];
      const volumes: StackDetail["volumes"] = [];
      if (project) {
        for (const n of Object.values(project.networks)) {
          const id = await networkExists(ctx.docker, n.name);
          networks.push({ name: n.name, ...(id ? { id } : {}), exists: !!id, external: n.external });
        }
        for (const v of Object.values(project.volumes)) volumes.push({ name: v.name, exists: await volumeExists(ctx.docker, v.name), external: v.external });
      } else {
        const label = `${COMPOSE_LABELS.project}=${name}`;
        const nets = await engineCall(`stack ${name}`, () => ctx.docker.listNetworks({ filters: { label: [label] } }));
        for (const n of nets) networks.push({ name: n.Name, id: n.Id, exists: true, external: false });
        const vols = await engineCall(`stack ${name}`, () => ctx.docker.listVolumes({ filters: { label: [label] } }));
        for (const v of vols.Volumes ?? []) volumes.push({ name: v.Name, exists: true, external: false });
      }
      return { ...base, ...(files ? { file: files.file, env: files.env } : {}), services, networks, volumes };
    },
  };
}
