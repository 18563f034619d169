/**
 * Brings the engine to a loaded project, as `docker-compose up -d` does:
 * networks and volumes, images, then each service in depends_on order (waiting
 * for the conditions it names). A container whose config hash and image id are
 * unchanged keeps running untouched; a changed one is recreated under its
 * container number; replicas are scaled to the file's count; services gone from
 * the file are orphans (removed only when asked). A failure stops the deploy,
 * leaves what was made and names the service.
 */
import type Docker from "dockerode";
import { configHash } from "../compose/config-hash";
import type { ComposeProject, ComposeService } from "../compose/model";
import { engineCall, RuntimeFailure, toRuntimeError } from "../engine/errors";
import { BERTH_ACCESS_LABEL } from "../protocol/berth-labels";
import type { TaskHandle } from "../tasks/registry";
import { dependencyOrder, type ProjectContainer, projectContainers } from "./project-state";
import type { DeployResult } from "./protocol";
import { ensureImages, ensureNetworks, ensureVolumes } from "./resources";
import type { RegistryAuth } from "../protocol/registry-auth";
import { type ContainerContext, containerName, createServiceContainer, stopAndRemove, waitCompleted, waitHealthy } from "./service-containers";

export interface DeployOptions {
  project: ComposeProject;
  workingDir: string;
  configFile: string;
  envFile: string;
  controlId?: string;
  pull: "missing" | "always";
  /** Credentials by image reference, for pulls from registries that need a login. */
  auths?: Record<string, RegistryAuth>;
  /** Every registry login for `build:` base images (X-Registry-Config, base64). */
  registryConfig?: string;
  removeOrphans: boolean;
  forceRecreate: boolean;
  /** Only these services (a scale); the others are left as they are, orphans too. */
  only?: string[];
}

export interface DeployOutcome {
  result: Omit<DeployResult, "version">;
  /** service → image id its containers run. */
  images: Map<string, string>;
}

type ServiceAction = DeployResult["services"][number];

export async function deployProject(docker: Docker, t: TaskHandle, o: DeployOptions): Promise<DeployOutcome> {
  const { project } = o;
  const scope = o.only ? project.services.filter((s) => o.only!.includes(s.name)) : project.services;
  const warnings = [...project.warnings];
  if (!o.only) {
    warnings.push(...(await ensureNetworks(docker, project, t)));
    await ensureVolumes(docker, project, t);
  }
  const images = await ensureImages(docker, scope, o.workingDir, o.pull, t, o.auths, o.registryConfig);
  const existing = (await projectContainers(docker, project.name)).filter((c) => !c.oneoff);
  // Container ids per service as the deploy leaves them, for depends_on waits and network_mode: service:X.
  const current = new Map<string, string[]>();
  for (const c of existing) current.set(c.service, [...(current.get(c.service) ?? []), c.id]);
  const ctx: ContainerContext = {
    project,
    workingDir: o.workingDir,
    configFile: o.configFile,
    envFile: o.envFile,
    controlId: o.controlId,
    firstContainer: (s) => current.get(s)?.[0],
  };
  const byName = new Map(project.services.map((s) => [s.name, s]));
  const inScope = new Set(scope.map((s) => s.name));
  const ordered = dependencyOrder(project.services);
  const done = new Map<string, ServiceAction>();
  // Each service starts as soon as the services it depends on (depends_on, network_mode service:X) are
  // done, independent ones at the same time, as compose does: one after another is slower than the CLI.
  const started = new Map<string, Promise<void>>();
  const run = (s: ComposeService): Promise<void> => {
    const have = started.get(s.name);
    if (have) return have;
    const deps = [...s.dependsOn.map((d) => d.service), ...(/^service:(.+)$/.exec(s.networkMode ?? "")?.slice(1) ?? [])]
      .flatMap((d) => (byName.has(d) && d !== s.name ? [byName.get(d)!] : []));
    // Claimed before its dependencies are visited: a cycle (the loader refuses them) meets this entry, not a recursion.
    started.set(s.name, Promise.resolve());
    const p = Promise.all(deps.map(run)).then(async () => {
      if (!inScope.has(s.name)) return;
      try {
        await waitForDependencies(docker, s, byName, current, t);
        const action = await reconcileService(docker, ctx, s, existing.filter((c) => c.service === s.name), images.get(s.name)!, o.forceRecreate, t);
        current.set(s.name, action.containers);
        done.set(s.name, action);
      } catch (err) {
        t.layer({ id: s.name, status: "Failed" });
        const e = toRuntimeError(err, `service ${s.name}`);
        const message = e.message.startsWith(`service ${s.name}`) ? e.message : `service ${s.name}: ${e.message}`;
        t.line(`Failed: ${message}`);
        throw new RuntimeFailure({ ...e, message });
      }
    });
    started.set(s.name, p);
    return p;
  };
  const all = ordered.map(run);
  // Every service settles before the answer (none is left half-made behind it); the first failure is the answer.
  const settled = await Promise.allSettled(all);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  const services: ServiceAction[] = ordered.flatMap((s) => (done.has(s.name) ? [done.get(s.name)!] : []));
  const orphans: string[] = [];
  if (!o.only) {
    const gone = [...new Set(existing.map((c) => c.service))].filter((name) => !byName.has(name));
    for (const name of gone) {
      if (!o.removeOrphans) {
        orphans.push(name);
        continue;
      }
      const ids = existing.filter((c) => c.service === name);
      for (const c of ids) await engineCall(`container ${c.name}`, () => stopAndRemove(docker, c.id));
      t.layer({ id: name, status: "Removed" });
      services.push({ name, action: "removed", containers: [] });
    }
    if (orphans.length) warnings.push(`orphan containers of services no longer in the file: ${orphans.join(", ")} (remove them with "remove orphans")`);
  }
  return { result: { name: project.name, services, orphans, warnings }, images };
}

async function waitForDependencies(docker: Docker, s: ComposeService, byName: Map<string, ComposeService>, current: Map<string, string[]>, t: TaskHandle) {
  for (const dep of s.dependsOn) {
    if (!byName.has(dep.service) || dep.condition === "service_started") continue;
    const ids = current.get(dep.service) ?? [];
    try {
      if (dep.condition === "service_healthy") {
        t.layer({ id: s.name, status: "Waiting for healthy" });
        t.line(`${s.name}: waiting for ${dep.service} to be healthy`);
        await waitHealthy(docker, dep.service, ids, t.signal);
      } else {
        t.layer({ id: s.name, status: "Waiting" });
        t.line(`${s.name}: waiting for ${dep.service} to complete successfully`);
        await waitCompleted(docker, dep.service, ids, t.signal);
      }
    } catch (err) {
      // The dependency is what failed: say so first, then why this service did not start.
      t.layer({ id: dep.service, status: "Failed" });
      const e = toRuntimeError(err);
      throw new RuntimeFailure({ ...e, message: `service ${s.name} depends on ${dep.service} (${dep.condition}): ${e.message}` });
    }
  }
}

async function startContainer(docker: Docker, name: string, id: string): Promise<void> {
  try {
    await docker.getContainer(id).start();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 304) return;
    throw new RuntimeFailure({ ...toRuntimeError(err, `container ${name}`), containerId: id, created: true });
  }
}

async function reconcileService(docker: Docker, ctx: ContainerContext, s: ComposeService, have: ProjectContainer[], image: string, force: boolean, t: TaskHandle): Promise<ServiceAction> {
  const hash = configHash(s);
  const want = s.replicas;
  const sorted = [...have].sort((a, b) => a.number - b.number);
  const keep = sorted.slice(0, want);
  const extra = sorted.slice(want);
  const ids: string[] = [];
  let created = 0;
  let recreated = 0;
  let started = 0;
  for (const c of keep) {
    // Berth's access label is not in the config hash, but a new owner row needs it on the container: only a new container has new labels.
    const sameOwner = (c.labels[BERTH_ACCESS_LABEL] || undefined) === (ctx.controlId || undefined);
    if (!force && c.configHash === hash && c.imageId === image && sameOwner) {
      if (c.state !== "running" && c.state !== "restarting") {
        t.layer({ id: s.name, status: "Starting" });
        await startContainer(docker, c.name, c.id);
        started++;
      }
      ids.push(c.id);
      continue;
    }
    t.layer({ id: s.name, status: "Recreating" });
    t.line(`${s.name}: recreating ${c.name}`);
    await engineCall(`container ${c.name}`, () => stopAndRemove(docker, c.id, s.spec.stopTimeout));
    const id = await createServiceContainer(docker, ctx, s, c.number || 1);
    await startContainer(docker, c.name, id);
    ids.push(id);
    recreated++;
  }
  const used = new Set(keep.map((c) => c.number));
  for (let n = 1; ids.length < want; n++) {
    if (used.has(n)) continue;
    t.layer({ id: s.name, status: "Creating" });
    const id = await createServiceContainer(docker, ctx, s, n);
    t.layer({ id: s.name, status: "Starting" });
    await startContainer(docker, containerName(ctx.project.name, s, n), id);
    ids.push(id);
    used.add(n);
    created++;
  }
  for (const c of extra) {
    t.line(`${s.name}: removing ${c.name} (scaled to ${want})`);
    await engineCall(`container ${c.name}`, () => stopAndRemove(docker, c.id, s.spec.stopTimeout));
  }
  const action: ServiceAction["action"] =
    extra.length > 0 || (created > 0 && keep.length > 0) ? "scaled" : recreated > 0 ? "recreated" : created > 0 ? "created" : started > 0 ? "started" : "unchanged";
  t.layer({ id: s.name, status: action === "recreated" ? "Recreated" : action === "unchanged" ? "Unchanged" : "Started" });
  return { name: s.name, action, containers: ids };
}
