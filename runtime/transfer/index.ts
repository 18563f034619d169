/**
 * The transfer capability: `docker pull`, `docker push` and `docker search`.
 * Pull and push run as tasks (runtime/tasks): the caller gets the task's id at
 * once and follows its per-layer progress on `/ws/tasks`; closing the engine's
 * stream (Cancel) stops the engine's work. Search has a deadline of its own:
 * the engine asks Docker Hub itself and may wait long on a network that cannot
 * reach it.
 */
import type Docker from "dockerode";
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import type { RegistryAuth } from "../protocol/registry-auth";
import { parseImageReference } from "../run-spec/image-reference";
import { followDockerStream, streamFailure } from "../tasks/docker-progress";
import type { TaskOwner } from "../tasks/protocol";
import { startTask } from "../tasks/registry";
import { type PullResult, type PushResult, type SearchAnswer, SEARCH_DEADLINE_MS, transferMethods, type TransferResults } from "./protocol";

/** `name`, and a tag or digest: what the engine's pull and push take apart. */
export function splitReference(reference: string): { name: string; tag: string; full: string } {
  const r = parseImageReference(reference);
  if (!r.ok) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "reference", message: `reference: ${r.error}` });
  const { name, digest, tag } = r.ref;
  // A reference with both a tag and a digest is pulled by its digest, as `docker pull` does.
  return digest ? { name, tag: digest, full: `${name}@${digest}` } : { name, tag: tag ?? "latest", full: `${name}:${tag ?? "latest"}` };
}

/**
 * A transfer's error: the engine answers some registry refusals as HTTP 500
 * before any stream (a pull with wrong credentials, a manifest the registry
 * does not have): their words say what they are.
 */
export function transferError(e: unknown, subject: string): RuntimeError {
  const raw = toRuntimeError(e, subject);
  // Errors from inside the stream come in the engine's bare words: say which transfer they are about.
  let err = raw.message.startsWith(`${subject}: `) || raw.code === "ENGINE_UNREACHABLE" ? raw : { ...raw, message: `${subject}: ${raw.message}` };
  if (err.code === "INTERNAL" || err.code === "BAD_REQUEST") {
    const byWords = streamFailure(err.message).error.code;
    if (byWords === "NOT_FOUND" || byWords === "UNAUTHORIZED") err = { ...err, code: byWords };
  }
  if (err.code === "UNAUTHORIZED") err = { ...err, message: `${err.message} (the registry refused the credentials Berth holds for it, or Berth holds none: see Registries)` };
  return err;
}

function pull(docker: Docker, input: { reference: string; auth?: RegistryAuth; platform?: string; owner?: TaskOwner }) {
  const { name, tag, full } = splitReference(input.reference);
  const task = startTask(
    { kind: "image.pull", title: `Pull ${full}`, owner: input.owner, cancellable: true },
    async (t): Promise<PullResult> => {
      const stream = (await docker.createImage({
        fromImage: name,
        tag,
        ...(input.platform ? { platform: input.platform } : {}),
        ...(input.auth ? { authconfig: input.auth } : {}),
        abortSignal: t.signal,
      })) as NodeJS.ReadableStream;
      await followDockerStream(stream, t);
      const image = await docker.getImage(full).inspect();
      return { id: image.Id, reference: full };
    },
    (e) => transferError(e, `pull ${full}`),
  );
  return { taskId: task.id, task };
}

async function push(docker: Docker, input: { reference: string; auth?: RegistryAuth; owner?: TaskOwner }) {
  const { name, tag, full } = splitReference(input.reference);
  // Refused before a task exists: a tag that is not here is a mistake in the input, not a failed transfer.
  await docker
    .getImage(full)
    .inspect()
    .catch((e: unknown) => {
      const err = toRuntimeError(e, `reference`);
      throw new RuntimeFailure(err.code === "NOT_FOUND" ? { code: "NOT_FOUND", field: "reference", message: `reference: no image tagged ${full} here (tag an image first)` } : err);
    });
  const task = startTask(
    { kind: "image.push", title: `Push ${full}`, owner: input.owner, cancellable: true },
    async (t): Promise<PushResult> => {
      const stream = (await docker.getImage(name).push({
        tag,
        // The engine (20.10) refuses a push without the header: an empty one means no credentials.
        authconfig: input.auth ?? {},
        abortSignal: t.signal,
      })) as NodeJS.ReadableStream;
      const followed = await followDockerStream(stream, t);
      const aux = followed.aux.find((a) => typeof a.Digest === "string");
      const fromStatus = followed.statuses.map((s) => /digest: (sha256:[a-f0-9]{64})/.exec(s)?.[1]).find(Boolean);
      const digest = (aux?.Digest as string | undefined) ?? fromStatus;
      return { reference: full, ...(digest ? { digest } : {}), ...(typeof aux?.Size === "number" ? { size: aux.Size } : {}) };
    },
    (e) => transferError(e, `push ${full}`),
  );
  return { taskId: task.id, task };
}

interface EngineSearchRow {
  name?: string;
  description?: string;
  star_count?: number;
  is_official?: boolean;
  is_automated?: boolean;
}

/**
 * `docker search` through the engine. A Hub the engine cannot reach (no
 * internet, DNS, TLS, or no answer within the deadline) is a state of the
 * environment, not a failure of Berth: the answer says so in `unreachable`
 * with no results, rather than as a server error.
 */
async function search(docker: Docker, term: string, limit: number): Promise<SearchAnswer> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), SEARCH_DEADLINE_MS);
  try {
    const rows = (await docker.searchImages({ term, limit, abortSignal: deadline.signal })) as EngineSearchRow[];
    const results = (Array.isArray(rows) ? rows : []).slice(0, limit).map((r) => ({
      name: String(r.name ?? ""),
      description: String(r.description ?? ""),
      stars: Number(r.star_count ?? 0),
      official: !!r.is_official,
      automated: !!r.is_automated,
    }));
    return { results };
  } catch (e) {
    if (deadline.signal.aborted) {
      return { results: [], unreachable: `search: Docker Hub did not answer within ${SEARCH_DEADLINE_MS / 1000} s (the engine searches Docker Hub itself, and cannot reach it from its network)` };
    }
    const err = toRuntimeError(e, "search");
    if (err.code === "ENGINE_UNREACHABLE" || err.code === "BAD_REQUEST") throw new RuntimeFailure(err);
    // The engine answers 500 with its own words when the Hub cannot be reached (DNS, connection, TLS).
    return { results: [], unreachable: `search: Docker Hub cannot be reached from the engine: ${err.message.replace(/^search: /, "")}` };
  } finally {
    clearTimeout(timer);
  }
}

export function transferCapability({ docker }: EngineContext): Capability {
  return defineCapability<typeof transferMethods, TransferResults>({
    name: "transfer",
    methods: transferMethods,
    handlers: {
      "images.pull": async (input) => pull(docker, input),
      "images.push": (input) => push(docker, input),
      "images.search": ({ term, limit }) => search(docker, term, limit),
    },
  });
}
