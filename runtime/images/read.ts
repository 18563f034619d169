/**
 * `docker images`, `docker image inspect` + `history`, `docker tag` and
 * `docker rmi`. Which containers use an image comes from the live container
 * list (every container, running or not, as `docker ps -a` shows it), so the
 * list costs one engine call.
 */
import type Docker from "dockerode";
import type { EngineContext } from "../capability";
import { listContainerSummaries } from "../engine/container-summaries";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { ContainerSummary } from "../engine/protocol";
import type { ImageContainerRef, ImageDetail, ImageRemoveResult, ImageSummary } from "./protocol";

const NONE = "<none>:<none>";
const NONE_DIGEST = "<none>@<none>";

const realTags = (tags: string[] | null | undefined) => (tags ?? []).filter((t) => t !== NONE);
const realDigests = (digests: string[] | null | undefined) => (digests ?? []).filter((d) => d !== NONE_DIGEST);

async function containersNow(ctx: EngineContext): Promise<ContainerSummary[]> {
  return ctx.hub.isLive() ? ctx.hub.list() : listContainerSummaries(ctx.docker);
}

function usersByImage(containers: ContainerSummary[]): Map<string, ImageContainerRef[]> {
  const byImage = new Map<string, ImageContainerRef[]>();
  for (const c of containers) {
    const list = byImage.get(c.imageId) ?? [];
    list.push({ id: c.id, name: c.name, state: c.state });
    byImage.set(c.imageId, list);
  }
  return byImage;
}

export async function listImages(ctx: EngineContext): Promise<ImageSummary[]> {
  let images: Docker.ImageInfo[];
  try {
    images = await ctx.docker.listImages({ all: false });
  } catch (err) {
    throw new RuntimeFailure(toRuntimeError(err, "images"));
  }
  const users = usersByImage(await containersNow(ctx));
  return images
    .map((i): ImageSummary => {
      const tags = realTags(i.RepoTags);
      const containers = users.get(i.Id) ?? [];
      return {
        id: i.Id,
        tags,
        digests: realDigests(i.RepoDigests),
        size: i.Size,
        created: i.Created,
        containers,
        unused: containers.length === 0,
        dangling: tags.length === 0,
        labels: i.Labels ?? {},
      };
    })
    .sort((a, b) => b.created - a.created || a.id.localeCompare(b.id));
}

/** Engine errors about one image, named by how the caller wrote it. */
function imageError(err: unknown, ref: string, field = "id"): RuntimeFailure {
  const e = toRuntimeError(err, `image ${ref}`);
  return new RuntimeFailure(e.code === "NOT_FOUND" || e.code === "BAD_REQUEST" ? { ...e, field } : e);
}

interface InspectJson {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Parent?: string;
  Comment?: string;
  Created: string;
  DockerVersion?: string;
  Author?: string;
  Architecture?: string;
  Variant?: string;
  Os?: string;
  Size: number;
  Config?: {
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Env?: string[] | null;
    ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null;
    Labels?: Record<string, string> | null;
    WorkingDir?: string;
    User?: string;
    StopSignal?: string;
    Healthcheck?: { Test?: string[] };
  } | null;
  RootFS?: { Layers?: string[] };
}

interface HistoryJson {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export async function inspectImage(ctx: EngineContext, ref: string): Promise<ImageDetail> {
  const image = ctx.docker.getImage(ref);
  let info: InspectJson;
  let history: HistoryJson[];
  try {
    info = (await image.inspect()) as unknown as InspectJson;
    // By id: a tag moved between the two calls must not mix two images' histories.
    history = (await ctx.docker.getImage(info.Id).history()) as HistoryJson[];
  } catch (err) {
    throw imageError(err, ref);
  }
  const c = info.Config ?? {};
  const containers = usersByImage(await containersNow(ctx)).get(info.Id) ?? [];
  return {
    id: info.Id,
    tags: realTags(info.RepoTags),
    digests: realDigests(info.RepoDigests),
    size: info.Size,
    created: info.Created,
    architecture: info.Architecture,
    ...(info.Variant ? { variant: info.Variant } : {}),
    os: info.Os,
    ...(info.Author ? { author: info.Author } : {}),
    ...(info.Comment ? { comment: info.Comment } : {}),
    ...(info.DockerVersion ? { dockerVersion: info.DockerVersion } : {}),
    ...(info.Parent ? { parent: info.Parent } : {}),
    cmd: c.Cmd ?? null,
    entrypoint: c.Entrypoint ?? null,
    env: c.Env ?? [],
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    volumes: Object.keys(c.Volumes ?? {}),
    labels: c.Labels ?? {},
    workingDir: c.WorkingDir ?? "",
    user: c.User ?? "",
    ...(c.StopSignal ? { stopSignal: c.StopSignal } : {}),
    ...(c.Healthcheck ? { healthcheck: { test: c.Healthcheck.Test } } : {}),
    layers: info.RootFS?.Layers ?? [],
    history: history.map((h) => ({
      id: h.Id,
      created: h.Created,
      createdBy: h.CreatedBy,
      size: h.Size,
      tags: realTags(h.Tags),
      comment: h.Comment ?? "",
    })),
    containers,
  };
}

export async function tagImage(docker: Docker, ref: string, repository: string, tag: string): Promise<{ id: string; reference: string }> {
  const image = docker.getImage(ref);
  try {
    const { Id } = (await image.inspect()) as { Id: string };
    await image.tag({ repo: repository, tag });
    return { id: Id, reference: `${repository}:${tag}` };
  } catch (err) {
    throw imageError(err, ref);
  }
}

/**
 * `docker rmi`: by a tag, only that tag goes when the image has others (the
 * engine's own rule); by id, the image goes (with `force`, even when tagged in
 * several repositories or used by a stopped container).
 */
export async function removeImage(docker: Docker, ref: string, force: boolean, noprune: boolean): Promise<ImageRemoveResult> {
  try {
    const items = (await docker.getImage(ref).remove({ force, noprune })) as { Untagged?: string; Deleted?: string }[];
    return {
      untagged: items.flatMap((i) => (i.Untagged ? [i.Untagged] : [])),
      deleted: items.flatMap((i) => (i.Deleted ? [i.Deleted] : [])),
    };
  } catch (err) {
    throw imageError(err, ref);
  }
}
