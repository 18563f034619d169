/**
 * Containers: the lifecycle actions (start, stop, restart, remove).
 * Docker's 304 ("already started/stopped") is an answer, not an error: changed:false.
 */
import type Docker from "dockerode";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { ContainerSummary } from "../engine/protocol";
import type { ActionResult } from "../protocol/action-result";
import { changedUnlessNotModified } from "../engine/not-modified";

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
  const run = (): Promise<unknown> => {
    switch (action) {
      case "start":
        return container.start();
      case "stop":
        return container.stop(opts.timeout === undefined ? {} : { t: opts.timeout });
      case "restart":
        return container.restart(opts.timeout === undefined ? {} : { t: opts.timeout });
      case "remove":
        return container.remove({ force: opts.force ?? false, v: opts.volumes ?? false });
    }
  };
  try {
    return answer(await changedUnlessNotModified(run));
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
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
