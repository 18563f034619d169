/**
 * What the image upload routes read from a request, before anything reaches
 * the runtime: build options from the query (tar context) or from a JSON body
 * (the editor: Dockerfile text plus small files, which become a tar here), and
 * import options from the query. Every problem names its field. Pure, except
 * for the tar stream it builds.
 */
import type { Readable } from "node:stream";
import tar from "tar-stream";
import { z } from "zod";
import { buildParamsSchema, contextPathProblem, importParamsSchema, type ImportParams } from "~/runtime/images/protocol";
import { firstIssue } from "~/runtime/protocol/zod-issues";

/** A JSON build request (the editor's) is at most this large: Dockerfile and files, base64. */
export const MAX_JSON_BUILD_BYTES = 8 << 20;
export const MAX_CONTEXT_FILES = 200;

export class RequestProblem extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Build options without the owner (the dashboard adds it). */
const buildOptionsSchema = buildParamsSchema.omit({ owner: true });
export type BuildOptions = z.output<typeof buildOptionsSchema>;

function check<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const p = firstIssue(parsed.error);
    throw new RequestProblem(p.field, p.message);
  }
  return parsed.data;
}

const flag = (v: string | null, field: string): boolean | undefined => {
  if (v === null || v === "") return undefined;
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  throw new RequestProblem(field, `${field}: must be true or false`);
};

/** `?tags=a&tags=b&dockerfile=…&buildArgs={json}&target=…&noCache=1&pull=1`. */
export function buildOptionsFromQuery(q: URLSearchParams): BuildOptions {
  let buildArgs: unknown;
  const rawArgs = q.get("buildArgs");
  if (rawArgs) {
    if (rawArgs.length > 256 * 1024) throw new RequestProblem("buildArgs", "buildArgs: too large (at most 256 KB)");
    try {
      buildArgs = JSON.parse(rawArgs);
    } catch {
      throw new RequestProblem("buildArgs", 'buildArgs: must be a JSON object, e.g. {"VERSION":"1.0"}');
    }
  }
  return check(buildOptionsSchema, {
    tags: q.getAll("tags").filter((t) => t !== ""),
    ...(q.get("dockerfile") ? { dockerfile: q.get("dockerfile") } : {}),
    ...(buildArgs !== undefined ? { buildArgs } : {}),
    ...(q.get("target") ? { target: q.get("target") } : {}),
    noCache: flag(q.get("noCache"), "noCache"),
    pull: flag(q.get("pull"), "pull"),
  });
}

const contextFileSchema = z.strictObject({
  path: z.string().superRefine((v, ctx) => {
    const p = contextPathProblem(v);
    if (p) ctx.addIssue({ code: "custom", message: p });
  }),
  contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
  /** Unix mode bits, e.g. 0o755 for a script. */
  mode: z.number().int().min(0).max(0o777).optional(),
});

const editorBuildSchema = buildOptionsSchema.extend({
  /** The Dockerfile's text, written at `dockerfile` (default `Dockerfile`) in the context. */
  dockerfileText: z.string().min(1, "is required: write a Dockerfile").max(1 << 20, "must be at most 1 MB"),
  files: z.array(contextFileSchema).max(MAX_CONTEXT_FILES, `at most ${MAX_CONTEXT_FILES} files`).default([]),
});
export type EditorBuild = z.output<typeof editorBuildSchema>;

/** The editor's JSON body: checked, with file paths unique and not the Dockerfile's own. */
export function editorBuildFromJson(text: string): EditorBuild {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RequestProblem(undefined, "request body: must be JSON");
  }
  const build = check(editorBuildSchema, raw);
  const seen = new Set([normalise(build.dockerfile)]);
  build.files.forEach((f, i) => {
    const p = normalise(f.path);
    if (seen.has(p)) {
      throw new RequestProblem(`files[${i}].path`, `files[${i}].path: ${JSON.stringify(f.path)} is already in the context${p === normalise(build.dockerfile) ? " (it is the Dockerfile's path)" : ""}`);
    }
    seen.add(p);
  });
  return build;
}

const normalise = (p: string) => p.split("/").filter((s) => s !== "" && s !== ".").join("/");

/** The editor's build as a tar context: the Dockerfile and the files, built as the runtime reads it. */
export function contextTar(build: EditorBuild): Readable {
  const pack = tar.pack();
  const entries: { name: string; data: Buffer; mode: number }[] = [
    { name: normalise(build.dockerfile), data: Buffer.from(build.dockerfileText, "utf8"), mode: 0o644 },
    ...build.files.map((f) => ({ name: normalise(f.path), data: Buffer.from(f.contentBase64, "base64"), mode: f.mode ?? 0o644 })),
  ];
  const mtime = new Date();
  for (const e of entries) pack.entry({ name: e.name, mode: e.mode, mtime }, e.data);
  pack.finalize();
  return pack as unknown as Readable;
}

/** `?repository=&tag=&message=&changes=…` (one `changes` per instruction, as `docker import --change`). */
export function importOptionsFromQuery(q: URLSearchParams): ImportParams {
  const params = check(importParamsSchema, {
    ...(q.get("repository") ? { repository: q.get("repository") } : {}),
    ...(q.get("tag") ? { tag: q.get("tag") } : {}),
    ...(q.get("message") ? { message: q.get("message") } : {}),
    ...(q.getAll("changes").filter(Boolean).length ? { changes: q.getAll("changes").filter(Boolean) } : {}),
  });
  if (params.tag && !params.repository) throw new RequestProblem("repository", "repository: a tag needs a repository");
  return params;
}
