/**
 * Inputs and results of creating a container from a RunSpec (create,
 * paste, show-the-command); part of the containers protocol (protocol.ts).
 * Never imports dockerode.
 */
import { z } from "zod";
import type { RunSpec } from "../run-spec/index";
import { imageReferenceError } from "../run-spec/image-reference";
import { containerRef } from "../protocol/ids";
import type { MethodTable } from "../protocol/registry";

export const containerCreateMethods = {
  /**
   * The spec is checked by validateRunSpec in the runtime (every field error named there),
   * so here it is only "an object": the zod schema would report one issue without context.
   */
  "containers.create": z.object({
    spec: z.record(z.string(), z.unknown()),
    /** `docker create`: do not start it. */
    createOnly: z.boolean().default(false),
  }),
  /** The `docker run` command that recreates a container. */
  "containers.runCommand": containerRef,
  /** The RunSpec of a container, for the form's Duplicate/Edit. */
  "containers.spec": containerRef,
  /** What the create form offers to choose from: networks (with subnets), volumes, images. */
  "containers.createOptions": z.object({}),
  /** An image's own defaults (CMD, ENTRYPOINT, EXPOSE…), without pulling it. */
  "images.defaults": z.object({
    image: z
      .string()
      .trim()
      .min(1, "image is required")
      .superRefine((v, ctx) => {
        const error = v === "" ? undefined : imageReferenceError(v);
        if (error) ctx.addIssue({ code: "custom", message: error });
      }),
  }),
} as const satisfies MethodTable;

export type ContainerCreateMethod = keyof typeof containerCreateMethods;

export interface CreateResult {
  id: string;
  name: string;
  /** false with createOnly (a failed start is an error, not this). */
  started: boolean;
  /** Berth pulled the image (it was missing, or Always pull was chosen). */
  pulled: boolean;
  /** The engine's warnings on create (e.g. a memory limit the kernel cannot enforce). */
  warnings: string[];
}

export interface RunCommandResult {
  /** One line. */
  command: string;
  /** One flag per line, with ` \` continuations. */
  multiline: string;
  /** What the command cannot say exactly. */
  caveats: string[];
}

export interface ImageDefaults {
  /** The reference as asked. */
  image: string;
  /** false: not on this engine (it would be pulled on create). */
  present: boolean;
  id?: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  /** `80/tcp`, `53/udp`. */
  exposedPorts?: string[];
  volumes?: string[];
  workingDir?: string;
  user?: string;
  stopSignal?: string;
  /** The HEALTHCHECK test, e.g. `["CMD-SHELL", "curl -f localhost"]`. */
  healthcheck?: string[];
}

export interface CreateOptions {
  networks: { name: string; driver: string; subnets: string[] }[];
  volumes: string[];
  images: string[];
  containers: string[];
}

export interface ContainerCreateResults {
  "containers.create": CreateResult;
  "containers.runCommand": RunCommandResult;
  "containers.spec": RunSpec;
  "containers.createOptions": CreateOptions;
  "images.defaults": ImageDefaults;
}
