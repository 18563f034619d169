/**
 * The containers capability's wire contract: the list and lifecycle actions
 * here, the other operations in types.ts, creating from a RunSpec in
 * create-types.ts. Never imports dockerode, so the dashboard can depend on it.
 */
import { z } from "zod";
import type { ContainerSummary } from "../engine/protocol";
import type { ActionResult } from "../protocol/action-result";
import { DEFAULT_DEADLINE_MS, DOCKER_STOP_TIMEOUT_S, LONG_MS, MIN, S, UNKNOWN_STOP_MS } from "../protocol/deadlines";
import { containerIdSchema, containerRef } from "../protocol/ids";
import type { DeadlineRules, MethodTable } from "../protocol/registry";
import { containerCreateMethods, type ContainerCreateResults } from "./create-types";
import { containerOpsMethods, type ContainerOpsResults } from "./types";

const stopTimeout = z.number().int().min(0).max(3600).optional();

export const containerMethods = {
  "containers.list": z.object({}),
  "containers.start": containerRef,
  "containers.stop": containerRef.extend({ timeout: stopTimeout }),
  "containers.restart": containerRef.extend({ timeout: stopTimeout }),
  "containers.remove": containerRef.extend({
    force: z.boolean().default(false),
    volumes: z.boolean().default(false),
  }),
  // inspect, top, diff, kill, pause, rename, update, commit, recreate, networks, bulk
  ...containerOpsMethods,
  // create from a RunSpec, runCommand, spec, createOptions, images.defaults
  ...containerCreateMethods,
} as const satisfies MethodTable;

export interface ContainerResults extends ContainerOpsResults, ContainerCreateResults {
  "containers.list": ContainerSummary[];
  "containers.start": ActionResult;
  "containers.stop": ActionResult;
  "containers.restart": ActionResult;
  "containers.remove": ActionResult;
}

/** `GET <prefix><id>`: the container's filesystem as a tar. */
export const EXPORT_PREFIX = "/export/containers/";

/** containers.bulk runs this many at a time (ops.ts); its deadline counts rounds of them. */
export const BULK_CONCURRENCY = 8;

type Input = Record<string, unknown> | undefined;
const stopMs = (input: Input): number =>
  typeof input?.timeout === "number" ? input.timeout * S + 30 * S : UNKNOWN_STOP_MS;

export const containerDeadlines: DeadlineRules = {
  "containers.stop": stopMs,
  "containers.restart": (input) => stopMs(input) + 30 * S,
  "containers.remove": () => 2 * MIN,
  "containers.create": () => LONG_MS,
  "containers.commit": () => LONG_MS,
  "containers.recreate": () => LONG_MS + UNKNOWN_STOP_MS,
  "containers.diff": () => 2 * MIN,
  "containers.top": () => MIN,
  "containers.bulk": (input) => {
    const count = Array.isArray(input?.ids) ? input.ids.length : 1;
    const rounds = Math.ceil(count / BULK_CONCURRENCY);
    const each = input?.action === "stop" || input?.action === "restart"
      ? (typeof input.timeout === "number" ? input.timeout : DOCKER_STOP_TIMEOUT_S) * S + 30 * S
      : 30 * S;
    return Math.max(DEFAULT_DEADLINE_MS, rounds * each + 30 * S);
  },
};

export { containerIdSchema };
