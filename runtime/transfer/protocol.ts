/**
 * Moving images between the engine and registries: `images.pull` and
 * `images.push` start a task (runtime/tasks) that reports per-layer progress
 * and answers at once with its id; `images.search` asks the engine to search
 * Docker Hub (`docker search`), with a deadline of its own so an engine that
 * cannot reach the Hub answers with a clear error rather than a hang.
 * No dockerode here: the dashboard imports these schemas.
 */
import { z } from "zod";
import { registryAuthSchema } from "../protocol/registry-auth";
import type { DeadlineRules, MethodTable } from "../protocol/registry";
import { S } from "../protocol/deadlines";
import { parseImageReference } from "../run-spec/image-reference";
import { taskOwnerSchema, type TaskStarted } from "../tasks/protocol";

/** How long `images.search` waits for the engine (which waits for the Hub) before saying it cannot be reached. */
export const SEARCH_DEADLINE_MS = 12 * S;

/** `name[:tag|@digest]` as `docker pull` takes it; an image id is not something to pull. */
export const pullReferenceSchema = z
  .string({ error: "is required" })
  .min(1, "is required")
  .superRefine((v, ctx) => {
    const r = parseImageReference(v);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.error });
    else if (r.ref.id) ctx.addIssue({ code: "custom", message: "an image id cannot be pulled: give a name, e.g. nginx:latest" });
  });

/** `name[:tag]` as `docker push` takes it: a digest names no local tag to push. */
export const pushReferenceSchema = pullReferenceSchema.superRefine((v, ctx) => {
  if (v.includes("@")) ctx.addIssue({ code: "custom", message: "push a tag (name:tag), not a digest" });
});

export const transferMethods = {
  "images.pull": z.strictObject({
    reference: pullReferenceSchema,
    /** Credentials of the registry the reference names (the dashboard's, decrypted); never logged or echoed. */
    auth: registryAuthSchema.optional(),
    /** `os/arch[/variant]`, as `docker pull --platform`. */
    platform: z
      .string()
      .max(64)
      .regex(/^[a-z0-9_.-]+\/[a-z0-9_.-]+(\/[a-z0-9_.-]+)?$/, "must be os/arch[/variant], e.g. linux/amd64")
      .optional(),
    owner: taskOwnerSchema.optional(),
  }),
  "images.push": z.strictObject({
    reference: pushReferenceSchema,
    auth: registryAuthSchema.optional(),
    owner: taskOwnerSchema.optional(),
  }),
  "images.search": z.strictObject({
    term: z
      .string({ error: "is required" })
      .trim()
      .min(1, "is required")
      .max(256, "must be at most 256 characters")
      // eslint-disable-next-line no-control-regex
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters"),
    limit: z.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(25),
  }),
} as const satisfies MethodTable;

export interface SearchResult {
  name: string;
  description: string;
  stars: number;
  official: boolean;
  automated: boolean;
}

/** A pull's result: the image's id and the reference pulled. */
export interface PullResult {
  id: string;
  reference: string;
}

/** A push's result: the digest the registry gave the manifest, and its size. */
export interface PushResult {
  reference: string;
  digest?: string;
  size?: number;
}

/** Results, or none and why: `unreachable` when the engine cannot reach Docker Hub (a state of the host, not an error of Berth). */
export interface SearchAnswer {
  results: SearchResult[];
  unreachable?: string;
}

export interface TransferResults {
  "images.pull": TaskStarted;
  "images.push": TaskStarted;
  "images.search": SearchAnswer;
}

export const transferDeadlines: DeadlineRules = {
  "images.search": () => SEARCH_DEADLINE_MS + 5 * S,
};
