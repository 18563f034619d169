/**
 * stacks.deploy (create and update), stacks.rollback and stacks.scale: each
 * checks its input at once (an invalid file fails before anything is written),
 * answers with a task, and the task runs deploy.ts; a successful deploy or
 * rollback records a version with the image each service ran, pinned.
 */
import type Docker from "dockerode";
import type { ComposeProject } from "../compose/model";
import type { EngineContext } from "../capability";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import { startTask, type TaskHandle } from "../tasks/registry";
import type { TaskOwner } from "../tasks/protocol";
import { deployProject, type DeployOptions } from "./deploy";
import type { StacksHandlers } from "./handler-types";
import { loadStack } from "./load-stack";
import type { DeployResult } from "./protocol";
import { pinnedImage } from "./resources";
import { composePath, envPath, readStackFiles, recordVersion, requireVersion, saveStackFiles, stackDir, withStackLock } from "./store";

/** service → the image it ran, pinned (`repo@sha256:…`, or the image id). */
export async function pinDigests(docker: Docker, project: ComposeProject, images: Map<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of project.services) {
    const id = images.get(s.name);
    if (id) out[s.name] = await pinnedImage(docker, s.spec.image, id);
  }
  return out;
}

interface RunOptions extends Omit<DeployOptions, "workingDir" | "configFile" | "envFile"> {
  name: string;
  file: string;
  env: string;
  owner?: TaskOwner;
  record?: { action: "deploy" | "rollback"; rolledBackTo?: number };
}

function runDeployTask(ctx: EngineContext, kind: string, title: string, o: RunOptions) {
  const task = startTask(
    { kind, title, owner: o.owner },
    (t: TaskHandle) =>
      withStackLock(o.name, async (): Promise<DeployResult> => {
        t.line(`${title}`);
        const { result, images } = await deployProject(ctx.docker, t, {
          ...o,
          workingDir: stackDir(ctx.dataDir, o.name),
          configFile: composePath(ctx.dataDir, o.name),
          envFile: envPath(ctx.dataDir, o.name),
        });
        if (!o.record) return result;
        const digests = await pinDigests(ctx.docker, o.project, images);
        const version = await recordVersion(ctx.dataDir, o.name, {
          ...(o.owner ? { by: o.owner } : {}),
          action: o.record.action,
          ...(o.record.rolledBackTo ? { rolledBackTo: o.record.rolledBackTo } : {}),
          file: o.file,
          env: o.env,
          digests,
        });
        t.line(`Recorded version ${version}`);
        return { ...result, version };
      }),
    (e) => toRuntimeError(e, `stack ${o.name}`),
  );
  return { taskId: task.id, task };
}

export function deployHandlers(ctx: EngineContext): StacksHandlers<"stacks.deploy" | "stacks.rollback" | "stacks.scale"> {
  return {
    "stacks.deploy": async (input) => {
      const project = await loadStack(ctx.dataDir, input.name, input.file, input.env);
      await saveStackFiles(ctx.dataDir, input.name, input.file, input.env);
      return runDeployTask(ctx, "stack.deploy", `Deploy stack ${input.name}`, { ...input, project, record: { action: "deploy" } });
    },

    "stacks.rollback": async (input) => {
      const v = await requireVersion(ctx.dataDir, input.name, input.version);
      const project = await loadStack(ctx.dataDir, input.name, v.file, v.env, "version");
      // The exact images the version ran, even when a tag has moved since.
      for (const s of project.services) {
        const pinned = v.digests[s.name];
        if (pinned) s.spec = { ...s.spec, image: pinned };
      }
      await saveStackFiles(ctx.dataDir, input.name, v.file, v.env);
      return runDeployTask(ctx, "stack.deploy", `Roll back stack ${input.name} to version ${input.version}`, {
        name: input.name,
        file: v.file,
        env: v.env,
        owner: input.owner,
        controlId: input.controlId,
        auths: input.auths,
        registryConfig: input.registryConfig,
        project,
        pull: "missing",
        removeOrphans: false,
        forceRecreate: false,
        record: { action: "rollback", rolledBackTo: input.version },
      });
    },

    "stacks.scale": async (input) => {
      const files = await readStackFiles(ctx.dataDir, input.name);
      if (!files) throw new RuntimeFailure({ code: "NOT_FOUND", field: "name", message: `name: Berth has no files for stack ${input.name} (adopt it first)` });
      const project = await loadStack(ctx.dataDir, input.name, files.file, files.env);
      const s = project.services.find((x) => x.name === input.service);
      if (!s) throw new RuntimeFailure({ code: "NOT_FOUND", field: "service", message: `service: stack ${input.name} has no service ${input.service}` });
      if (s.containerName && input.replicas > 1) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "replicas", message: `replicas: service ${s.name} sets container_name, so it can only have one container` });
      s.replicas = input.replicas;
      return runDeployTask(ctx, "stack.scale", `Scale ${input.name} ${input.service} to ${input.replicas}`, {
        name: input.name,
        file: files.file,
        env: files.env,
        owner: input.owner,
        controlId: input.controlId,
        project,
        pull: "missing",
        removeOrphans: false,
        forceRecreate: false,
        only: [s.name],
      });
    },
  };
}
