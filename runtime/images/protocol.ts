/**
 * The images capability's wire contract: list, inspect, tag and remove as
 * methods; load, import and build as upload routes (PUT, the body piped to the
 * engine as it comes) and save as a download route (GET, the engine's tar piped
 * out). Pull, push and search live in runtime/transfer. Never imports dockerode:
 * the dashboard imports these schemas.
 */
import { z } from "zod";
import type { MethodTable } from "../protocol/registry";
import { MIN } from "../protocol/deadlines";
import type { DeadlineRules } from "../protocol/registry";
import { parseImageReference, repositoryError, tagError } from "../run-spec/image-reference";
import { taskOwnerSchema } from "../tasks/protocol";

/** `GET <prefix>?names=a&names=b`: `docker save a b` as one tar. */
export const SAVE_ROUTE = "/images/save";
/** `PUT <prefix>` with a `docker save` tar as the body: `docker load`. */
export const LOAD_ROUTE = "/images/load";
/** `PUT <prefix>?p=<json ImportParams>` with a filesystem tar: `docker import`. */
export const IMPORT_ROUTE = "/images/import";
/** `PUT <prefix>?p=<json BuildParams>` with a tar context: `docker build`, as a task. */
export const BUILD_ROUTE = "/images/build";
/** The build's registry logins (Docker's X-Registry-Config: base64 JSON by server address), from the dashboard. */
export const REGISTRY_CONFIG_HEADER = "x-berth-registry-config";

/** At most this many images in one `docker save`. */
export const MAX_SAVE_NAMES = 50;

/** An image as `docker image inspect`/`rmi` take it: an id, an id prefix, or name[:tag][@digest]. */
export const imageRefSchema = z
  .string({ error: "is required" })
  .min(1, "is required")
  .superRefine((v, ctx) => {
    const r = parseImageReference(v);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.error });
  });

/** A repository without a tag (`docker tag … repo:tag` takes the tag on its own). */
export const repositorySchema = z
  .string({ error: "is required" })
  .min(1, "is required")
  .superRefine((v, ctx) => {
    const e = repositoryError(v);
    if (e) ctx.addIssue({ code: "custom", message: e });
  });

export const tagSchema = z.string().superRefine((v, ctx) => {
  const e = tagError(v);
  if (e) ctx.addIssue({ code: "custom", message: e });
});

/** `name[:tag]` as `docker build -t` takes it: no digest, no image id. */
export const buildTagSchema = z
  .string()
  .min(1, "is required")
  .superRefine((v, ctx) => {
    const r = parseImageReference(v);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.error });
    else if (r.ref.id) ctx.addIssue({ code: "custom", message: "an image id is not a tag: give a name, e.g. web:1.0" });
    else if (r.ref.digest) ctx.addIssue({ code: "custom", message: "a tag cannot carry a digest" });
  });

/** Instructions `docker import --change` and `docker commit --change` accept (Docker's own list for import). */
export const IMPORT_CHANGE_INSTRUCTIONS = ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "ONBUILD", "USER", "VOLUME", "WORKDIR", "LABEL"] as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export const importChangeSchema = z
  .string()
  .min(1, "is required")
  .max(4096, "must be at most 4096 characters")
  .refine((v) => !CONTROL.test(v) && !v.includes("\n"), "must be one line without control characters")
  .superRefine((v, ctx) => {
    const word = /^\s*([A-Za-z]+)(\s|$)/.exec(v)?.[1]?.toUpperCase();
    if (!word || !(IMPORT_CHANGE_INSTRUCTIONS as readonly string[]).includes(word)) {
      ctx.addIssue({ code: "custom", message: `must be a Dockerfile instruction docker import accepts: ${IMPORT_CHANGE_INSTRUCTIONS.join(", ")}` });
    } else if (!/^\s*[A-Za-z]+\s+\S/.test(v)) {
      ctx.addIssue({ code: "custom", message: `${word} needs an argument, e.g. CMD ["sh"]` });
    }
  });

export const importParamsSchema = z.strictObject({
  repository: repositorySchema.optional(),
  tag: tagSchema.optional(),
  message: z
    .string()
    .max(2000, "must be at most 2000 characters")
    .refine((v) => !CONTROL.test(v), "must not contain control characters")
    .optional(),
  changes: z.array(importChangeSchema).max(50, "at most 50 changes").optional(),
});
export type ImportParams = z.output<typeof importParamsSchema>;

/** A Dockerfile's path inside the context: relative, no `..`, no NUL. */
export const dockerfilePathSchema = z
  .string()
  .min(1, "is required")
  .max(1024, "must be at most 1024 characters")
  .superRefine((v, ctx) => {
    const problem = contextPathProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Why `p` cannot be a path inside a build context, or undefined when it can. Shared with the dashboard's context builder. */
export function contextPathProblem(p: string): string | undefined {
  if (p === "") return "is required";
  if (CONTROL.test(p) || p.includes("\n")) return "must not contain control characters";
  if (p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p)) return "must be a path inside the build context, not an absolute path";
  if (p.includes("\\")) return "use / to separate folders";
  if (p.split("/").some((s) => s === "..")) return "must stay inside the build context (no ..)";
  if (p.split("/").every((s) => s === "" || s === ".")) return "must name a file";
  return undefined;
}

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const buildParamsSchema = z.strictObject({
  /** `-t`, several allowed. */
  tags: z.array(buildTagSchema).max(20, "at most 20 tags").default([]),
  /** `-f`, relative to the context. */
  dockerfile: dockerfilePathSchema.default("Dockerfile"),
  /** `--build-arg NAME=value`. */
  buildArgs: z
    .record(
      z.string().max(256, "a build arg name must be at most 256 characters").regex(BUILD_ARG_NAME, "a build arg name: letters, digits and _, not starting with a digit"),
      z.string().max(32_768, "must be at most 32768 characters").refine((v) => !v.includes("\u0000"), "must not contain NUL"),
    )
    .refine((r) => Object.keys(r).length <= 100, "at most 100 build args")
    .default({}),
  /** `--target`: a stage name. */
  target: z
    .string()
    .max(128, "must be at most 128 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be a stage name: letters, digits, _ . -")
    .optional(),
  noCache: z.boolean().default(false),
  pull: z.boolean().default(false),
  owner: taskOwnerSchema.optional(),
});
export type BuildParams = z.output<typeof buildParamsSchema>;

export const imagesMethods = {
  "images.list": z.strictObject({}),
  "images.inspect": z.strictObject({ id: imageRefSchema }),
  "images.tag": z.strictObject({ id: imageRefSchema, repository: repositorySchema, tag: tagSchema.default("latest") }),
  "images.remove": z.strictObject({ id: imageRefSchema, force: z.boolean().default(false), noprune: z.boolean().default(false) }),
} as const satisfies MethodTable;

export interface ImageContainerRef {
  id: string;
  name: string;
  state: string;
}

export interface ImageSummary {
  /** `sha256:…`. */
  id: string;
  /** `repo:tag`, every tag of this image (empty for a dangling one). */
  tags: string[];
  digests: string[];
  size: number;
  /** Unix seconds. */
  created: number;
  containers: ImageContainerRef[];
  /** No container (running or not) uses it. */
  unused: boolean;
  /** No tag (`<none>:<none>`): an old build's leftover or an untagged layer image. */
  dangling: boolean;
  labels: Record<string, string>;
}

export interface ImageHistoryEntry {
  id: string;
  /** Unix seconds. */
  created: number;
  createdBy: string;
  size: number;
  tags: string[];
  comment: string;
}

export interface ImageDetail {
  id: string;
  tags: string[];
  digests: string[];
  size: number;
  /** ISO time. */
  created: string;
  architecture?: string;
  variant?: string;
  os?: string;
  author?: string;
  comment?: string;
  dockerVersion?: string;
  parent?: string;
  cmd: string[] | null;
  entrypoint: string[] | null;
  env: string[];
  exposedPorts: string[];
  volumes: string[];
  labels: Record<string, string>;
  workingDir: string;
  user: string;
  stopSignal?: string;
  healthcheck?: { test?: string[] };
  layers: string[];
  history: ImageHistoryEntry[];
  containers: ImageContainerRef[];
}

export interface ImageRemoveResult {
  untagged: string[];
  deleted: string[];
}

export interface ImagesResults {
  "images.list": ImageSummary[];
  "images.inspect": ImageDetail;
  "images.tag": { id: string; reference: string };
  "images.remove": ImageRemoveResult;
}

/** What `PUT /images/load` answers. */
export interface LoadResult {
  /** `repo:tag` of every tagged image loaded. */
  loaded: string[];
  /** `sha256:…` of images loaded without a tag. */
  ids: string[];
}

/** What `PUT /images/import` answers. */
export interface ImportResult {
  id: string;
  reference?: string;
}

/** The result of a build task. */
export interface BuildResult {
  id: string;
  tags: string[];
}

export const imagesDeadlines: DeadlineRules = {
  "images.remove": () => 2 * MIN,
  "images.list": () => MIN,
};
