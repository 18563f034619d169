/**
 * stacks.action (start/stop/restart the stack or one service: start in
 * dependency order, stop in reverse) and stacks.down (`docker-compose down`:
 * every container of the project, one-off ones too, then the project's own
 * networks; named volumes only with `volumes`, images only when asked, never
 * external ones; `removeFiles` also forgets Berth's copy and the versions).
 */
import type { EngineContext } from "../capability";
import { COMPOSE_LABELS, type ComposeProject } from "../compose/model";
import { engineCall, RuntimeFailure, toRuntimeError } from "../engine/errors";
import { loadStack } from "./load-stack";
import type { StacksHandlers } from "./handler-types";
import { dependencyOrder, type ProjectContainer, projectContainers } from "./project-state";
import type { DownResult } from "./protocol";
import { stopAndRemove } from "./service-containers";
import { readStackFiles, removeStackFiles, withStackLock } from "./store";

async function fileProject(ctx: EngineContext, name: string): Promise<ComposeProject | undefined> {
  const files = await readStackFiles(ctx.dataDir, name);
  if (!files) return undefined;
  try {
    return await loadStack(ctx.dataDir, name, files.file, files.env);
  } catch {
    return undefined;
  }
}

/** Service names in start order: the file's dependency order, then services only the containers know, by name. */
function startOrder(project: ComposeProject | undefined, containers: ProjectContainer[]): string[] {
  const ordered = project ? dependencyOrder(project.services).map((s) => s.name) : [];
  const rest = [...new Set(containers.map((c) => c.service))].filter((s) => !ordered.includes(s)).sort();
  return [...ordered, ...rest];
}

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

export function downHandlers(ctx: EngineContext): StacksHandlers<"stacks.action" | "stacks.down"> {
  const { docker } = ctx;
  return {
    "stacks.action": async ({ name, action, service }) => {
      const all = (await projectContainers(docker, name)).filter((c) => !c.oneoff);
      const project = await fileProject(ctx, name);
      if (all.length === 0 && !project) throw new RuntimeFailure({ code: "NOT_FOUND", field: "name", message: `name: no stack ${name} on this engine` });
      const containers = service ? all.filter((c) => c.service === service) : all;
      if (service && containers.length === 0) throw new RuntimeFailure({ code: "NOT_FOUND", field: "service", message: `service: stack ${name} has no containers for service ${service}` });
      let order = startOrder(project, containers);
      if (action === "stop") order = order.reverse();
      const results: { id: string; name: string; ok: boolean; message?: string }[] = [];
      for (const svc of order) {
        for (const c of containers.filter((x) => x.service === svc)) {
          const ref = docker.getContainer(c.id);
          try {
            if (action === "start") await ref.start();
            else if (action === "stop") await ref.stop();
            else await ref.restart();
            results.push({ id: c.id, name: c.name, ok: true });
          } catch (err) {
            if (statusOf(err) === 304) results.push({ id: c.id, name: c.name, ok: true, message: action === "start" ? "already running" : "already stopped" });
            else results.push({ id: c.id, name: c.name, ok: false, message: toRuntimeError(err, `container ${c.name}`).message });
          }
        }
      }
      return { name, containers: results };
    },

    "stacks.down": (input) =>
      withStackLock(input.name, async (): Promise<DownResult> => {
        const { name } = input;
        const containers = await projectContainers(docker, name);
        const files = await readStackFiles(ctx.dataDir, name);
        if (containers.length === 0 && !files) throw new RuntimeFailure({ code: "NOT_FOUND", field: "name", message: `name: no stack ${name} on this engine` });
        const project = await fileProject(ctx, name);
        const out: DownResult = { name, removed: { containers: [], networks: [], volumes: [], images: [] }, kept: [] };
        // Dependents first, as compose stops them.
        const order = startOrder(project, containers).reverse();
        const sorted = [...containers].sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
        for (const c of sorted) {
          await engineCall(`container ${c.name}`, () => stopAndRemove(docker, c.id));
          out.removed.containers.push(c.name);
        }
        const label = `${COMPOSE_LABELS.project}=${name}`;
        const external = new Set(Object.values(project?.networks ?? {}).filter((n) => n.external).map((n) => n.name));
        const nets = await engineCall(`stack ${name}`, () => docker.listNetworks({ filters: { label: [label] } }));
        for (const n of nets) {
          if (external.has(n.Name)) {
            out.kept.push(`network ${n.Name}: external`);
            continue;
          }
          try {
            await docker.getNetwork(n.Id).remove();
            out.removed.networks.push(n.Name);
          } catch (err) {
            if (statusOf(err) !== 404) out.kept.push(`network ${n.Name}: ${toRuntimeError(err).message}`);
          }
        }
        for (const n of external) out.kept.push(`network ${n}: external`);
        const externalVolumes = new Set(Object.values(project?.volumes ?? {}).filter((v) => v.external).map((v) => v.name));
        const vols = (await engineCall(`stack ${name}`, () => docker.listVolumes({ filters: { label: [label] } }))).Volumes ?? [];
        for (const v of vols) {
          if (externalVolumes.has(v.Name)) continue;
          if (!input.volumes) {
            out.kept.push(`volume ${v.Name}: named volumes are removed only with "remove volumes"`);
            continue;
          }
          try {
            await docker.getVolume(v.Name).remove();
            out.removed.volumes.push(v.Name);
          } catch (err) {
            if (statusOf(err) !== 404) out.kept.push(`volume ${v.Name}: ${toRuntimeError(err).message}`);
          }
        }
        for (const v of externalVolumes) out.kept.push(`volume ${v}: external`);
        if (input.images !== "none") {
          const local = new Set((project?.services ?? []).filter((s) => s.build && s.spec.image === `${name}_${s.name}`.toLowerCase()).map((s) => s.spec.image));
          const wanted = input.images === "all" ? new Set([...(project?.services.map((s) => s.spec.image) ?? []), ...containers.map((c) => c.image)]) : local;
          for (const img of wanted) {
            try {
              await docker.getImage(img).remove();
              out.removed.images.push(img);
            } catch (err) {
              if (statusOf(err) !== 404) out.kept.push(`image ${img}: ${toRuntimeError(err).message}`);
            }
          }
        }
        if (input.removeFiles) await removeStackFiles(ctx.dataDir, name);
        return out;
      }),
  };
}
