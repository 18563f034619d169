/**
 * The images capability's streams, never held in memory:
 * - `GET /images/save?names=…` pipes `docker save` (one tar, several images) out;
 * - `PUT /images/load` pipes the body into `docker load` and answers the images loaded;
 * - `PUT /images/import?p=…` pipes a filesystem tar into `docker import`;
 * - `PUT /images/build?p=…` pipes a tar context into `docker build`, as a task:
 *   it answers `{taskId, task}` once the context is uploaded, and the build's
 *   output goes on as the task's lines.
 * Load and import run as tasks too (shown in the Tasks panel) but answer when done.
 */
import type http from "node:http";
import type Docker from "dockerode";
import { toRuntimeError } from "../engine/errors";
import { registryConfigOption } from "../engine/registry-config";
import { queryParams } from "../protocol/query-params";
import type { RuntimeError } from "../protocol/errors";
import { firstIssue } from "../protocol/zod-issues";
import { followDockerStream } from "../tasks/docker-progress";
import type { TaskSpec, TaskHandle } from "../tasks/registry";
import { getTask, startTask } from "../tasks/registry";
import { refuse, sendJson } from "./http-util";
import {
  type BuildParams,
  buildParamsSchema,
  type BuildResult,
  imageRefSchema,
  importParamsSchema,
  type ImportResult,
  type LoadResult,
  MAX_SAVE_NAMES,
  REGISTRY_CONFIG_HEADER,
} from "./protocol";
import { taskOwnerSchema } from "../tasks/protocol";

/** `docker save a b`: validated names, then the engine's tar piped to the caller. */
export function saveRoute(docker: Docker) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const names = url.searchParams.getAll("names");
    if (names.length === 0) return refuse(req, res, { code: "BAD_REQUEST", field: "names", message: "names: give at least one image" });
    if (names.length > MAX_SAVE_NAMES) return refuse(req, res, { code: "BAD_REQUEST", field: "names", message: `names: at most ${MAX_SAVE_NAMES} images in one save` });
    for (const [i, name] of names.entries()) {
      const checked = imageRefSchema.safeParse(name);
      if (!checked.success) return refuse(req, res, { code: "BAD_REQUEST", field: `names[${i}]`, message: `names[${i}]: ${firstIssue(checked.error).message}` });
    }
    // The engine answers 200 and then fails for a name it does not have: check them first, so the caller gets a 404 naming it.
    for (const [i, name] of names.entries()) {
      try {
        await docker.getImage(name).inspect();
      } catch (err) {
        const e = toRuntimeError(err, `image ${name}`);
        return refuse(req, res, e.code === "NOT_FOUND" ? { ...e, field: `names[${i}]` } : e);
      }
    }
    const abort = new AbortController();
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    try {
      // Not in @types/dockerode; dockerode has it (GET /images/get?names=…, one `names` per image).
      const withGetImages = docker as unknown as { getImages(opts: { names: string[]; abortSignal: AbortSignal }): Promise<unknown> };
      stream = (await withGetImages.getImages({ names, abortSignal: abort.signal })) as typeof stream;
    } catch (err) {
      return refuse(req, res, toRuntimeError(err, "save"));
    }
    res.writeHead(200, { "content-type": "application/x-tar" });
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
      stream.destroy?.();
    });
    stream.on("error", () => res.destroy());
    stream.pipe(res);
  };
}

/**
 * Runs `work` as a task and waits for it: the answer comes when it is done, and
 * the Tasks panel shows it meanwhile.
 */
function runTaskAndWait<T>(spec: TaskSpec, work: (t: TaskHandle) => Promise<T>, subject: string): { taskId: string; done: Promise<T> } {
  let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
  const done = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  const task = startTask(
    spec,
    async (t) => {
      try {
        const r = await work(t);
        settle.resolve(r);
        return r;
      } catch (err) {
        settle.reject(err);
        throw err;
      }
    },
    (e) => toRuntimeError(e, subject),
  );
  return { taskId: task.id, done };
}

/** The dashboard's registry logins for a build's base images, passed on to the engine as they came (base64, at most 64 KB). */
function registryConfig(req: http.IncomingMessage): Docker.ImageBuildOptions {
  const raw = req.headers[REGISTRY_CONFIG_HEADER];
  if (typeof raw !== "string" || raw.length > 65536 || !/^[A-Za-z0-9+/=]+$/.test(raw)) return {};
  return registryConfigOption(raw);
}

function ownerFrom(url: URL) {
  const raw = url.searchParams.get("owner");
  if (!raw) return undefined;
  try {
    const parsed = taskOwnerSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `docker load`: the body streamed into the engine; answers what it loaded. */
export function loadRoute(docker: Docker) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const { taskId, done } = runTaskAndWait(
      { kind: "image.load", title: "Load images", owner: ownerFrom(url) },
      async (t): Promise<LoadResult> => {
        const stream = (await docker.loadImage(req, { quiet: false })) as NodeJS.ReadableStream;
        // "Loaded image: …" comes as `{stream}` text, which the follower only hands to the task's lines.
        const lines: string[] = [];
        const followed = await followDockerStream(stream, t, (m) => {
          if (typeof m.stream === "string") lines.push(m.stream);
        });
        return parseLoaded([...followed.statuses, ...lines]);
      },
      "load",
    );
    // A body the engine stopped reading (a bad tar) is drained so the caller gets the answer.
    done.then(
      (r) => sendJson(res, 200, { ok: true, taskId, ...r }),
      (err: unknown) => refuse(req, res, toRuntimeError(err, "load")),
    );
  };
}

/** "Loaded image: busybox:latest" / "Loaded image ID: sha256:…" lines → names and ids. */
export function parseLoaded(lines: string[]): LoadResult {
  const loaded: string[] = [];
  const ids: string[] = [];
  for (const line of lines) {
    const id = /Loaded image ID: (sha256:[a-f0-9]{64})/.exec(line)?.[1];
    if (id) ids.push(id);
    else {
      const name = /Loaded image: (\S+)/.exec(line)?.[1];
      if (name) loaded.push(name);
    }
  }
  return { loaded, ids };
}

/** `docker import`: a filesystem tar streamed into a new image, with repository, tag, message and changes. */
export function importRoute(docker: Docker) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    let params;
    try {
      params = queryParams(url, importParamsSchema);
    } catch (err) {
      return refuse(req, res, err as RuntimeError);
    }
    if (params.tag && !params.repository) {
      return refuse(req, res, { code: "BAD_REQUEST", field: "repository", message: "repository: a tag needs a repository" });
    }
    const reference = params.repository ? `${params.repository}:${params.tag ?? "latest"}` : undefined;
    const { taskId, done } = runTaskAndWait(
      { kind: "image.import", title: `Import ${reference ?? "an image"}`, owner: ownerFrom(url) },
      async (t): Promise<ImportResult> => {
        let id: string | undefined;
        const stream = (await docker.importImage(req, {
          ...(params.repository ? { repo: params.repository, tag: params.tag ?? "latest" } : {}),
          ...(params.message ? { message: params.message } : {}),
          ...(params.changes?.length ? { changes: params.changes } : {}),
        })) as NodeJS.ReadableStream;
        await followDockerStream(stream, t, (m) => {
          const found = /^(sha256:[a-f0-9]{64})$/.exec((m.status ?? "").trim())?.[1];
          if (found) id = found;
        });
        if (!id) throw new Error("the engine did not say which image it created");
        return { id, ...(reference ? { reference } : {}) };
      },
      "import",
    );
    done.then(
      (r) => sendJson(res, 200, { ok: true, taskId, ...r }),
      (err: unknown) => {
        const e = toRuntimeError(err, "import");
        // The engine's words for a body that is not a tar.
        refuse(req, res, /archive|tar|header|unexpected EOF/i.test(e.message) ? { ...e, code: "BAD_REQUEST", field: "file" } : e);
      },
    );
  };
}

/** The engine's build options from checked params (`docker build -t … -f … --build-arg … --target … --no-cache --pull`). */
export function buildOptions(p: BuildParams): Record<string, unknown> {
  return {
    ...(p.tags.length ? { t: p.tags } : {}),
    dockerfile: p.dockerfile,
    ...(Object.keys(p.buildArgs).length ? { buildargs: p.buildArgs } : {}),
    ...(p.target ? { target: p.target } : {}),
    nocache: p.noCache,
    pull: p.pull,
    // Intermediate containers go, even when a step fails (as `docker build --force-rm`).
    rm: true,
    forcerm: true,
  };
}

/** `docker build` from an uploaded tar context, as a task answered once the context is in. */
export function buildRoute(docker: Docker) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    let params: BuildParams;
    try {
      params = queryParams(url, buildParamsSchema);
    } catch (err) {
      return refuse(req, res, err as RuntimeError);
    }
    const title = `Build ${params.tags[0] ?? "an image"}${params.tags.length > 1 ? ` (+${params.tags.length - 1})` : ""}`;
    const uploaded = new Promise<void>((resolve) => {
      req.once("end", resolve);
      req.once("close", resolve);
    });
    let settled!: () => void;
    const finished = new Promise<void>((resolve) => (settled = resolve));
    const task = startTask(
      { kind: "image.build", title, owner: params.owner, cancellable: true },
      async (t): Promise<BuildResult> => {
        try {
          const stream = (await docker.buildImage(req as unknown as NodeJS.ReadableStream, { ...buildOptions(params), ...registryConfig(req), abortSignal: t.signal })) as NodeJS.ReadableStream;
          const followed = await followDockerStream(stream, t);
          const id = followed.aux.map((a) => a.ID).find((v): v is string => typeof v === "string");
          const fromLine = followed.statuses.concat().reverse().map((s) => /Successfully built ([a-f0-9]{12,64})/.exec(s)?.[1]).find(Boolean);
          const imageId = id ?? (fromLine ? (await docker.getImage(fromLine).inspect()).Id : undefined);
          if (!imageId) throw new Error("the build ended without naming the image it built");
          return { id: imageId, tags: params.tags };
        } finally {
          settled();
        }
      },
      (e) => toRuntimeError(e, "build"),
    );
    // Answer once the context is in (or the build is over): answering mid-upload would cut the caller's upload.
    await Promise.race([uploaded, finished]);
    const now = getTask(task.id) ?? task;
    if (!req.readableEnded && !req.destroyed) return refuse(req, res, now.error ? { code: now.error.code, message: now.error.message } : { code: "INTERNAL", message: "build: stopped before the context was read" });
    sendJson(res, 200, { ok: true, taskId: task.id, task: now });
  };
}

