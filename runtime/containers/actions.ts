/**
 * Containers: the lifecycle actions (start, stop, restart, remove).
 * Docker's 304 ("already started/stopped") is an answer, not an error: changed:false.
 */
import type Docker from "dockerode";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { ContainerSummary } from "../engine/protocol";
import type { ActionResult } from "../protocol/action-result";

/** Finds a cached summary by id, id prefix or name, to name objects in answers without a Docker call. */
export type ContainerLookup = (idOrName: string) => ContainerSummary | undefined;

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
