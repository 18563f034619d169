/**
 * Browsing a registry through its v2 API: the catalogue (following `Link`
 * pages), a repository's tags with each manifest's digest and size, and
 * deleting a tag (by its manifest's digest, the only way the API deletes).
 * Everything is bounded: pages, repositories, tags, manifests read.
 */
import crypto from "node:crypto";
import { RuntimeFailure } from "../engine/errors";
import type { RegistriesResults, RegistryPlatform, RegistryTag } from "./protocol";
import { RegistrySession, type RegistryResponse } from "./v2-client";

const PAGE = 100;
const PAGES_MAX = 20;
export const REPOSITORIES_MAX = 1000;
export const TAGS_MAX = 200;
/** Platforms of one index whose manifests are read for their size. */
const PLATFORMS_MAX = 8;
/** Platform manifests read in one call, across all tags: past it, platforms are listed without a size. */
const PLATFORM_READS_MAX = 64;
/** Manifests read at the same time. */
const PARALLEL = 4;

const MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const MANIFEST_TYPES = [MANIFEST, MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX];

function fail(code: "NOT_FOUND" | "INTERNAL" | "BAD_REQUEST" | "FORBIDDEN", message: string, field?: string): never {
  throw new RuntimeFailure({ code, message, ...(field ? { field } : {}) });
}

/** The next page's path from `Link: </v2/…?last=x&n=100>; rel="next"`, only on the same registry and the same endpoint. */
export function nextPage(link: string | null, prefix: string): string | undefined {
  if (!link) return undefined;
  const m = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(link.slice(0, 4096));
  if (!m) return undefined;
  let target: URL;
  try {
    target = new URL(m[1]!, "http://registry.invalid");
  } catch {
    return undefined;
  }
  // A relative link only: a registry does not get to send Berth's credentials elsewhere.
  if (target.host !== "registry.invalid" || target.pathname !== prefix) return undefined;
  return `${target.pathname}${target.search}`;
}

function json(res: RegistryResponse, what: string, where: string): unknown {
  try {
    return JSON.parse(res.body.toString("utf8"));
  } catch {
    fail("INTERNAL", `registry ${where}: ${what} is not JSON`);
  }
}

function refuse(session: RegistrySession, res: RegistryResponse, what: string): never {
  if (res.status === 403) fail("FORBIDDEN", `registry ${session.where} refused ${what} (HTTP 403): the account lacks access`);
  if (res.status === 404) fail("NOT_FOUND", `registry ${session.where}: ${what} not found (${RegistrySession.errorText(res)})`);
  fail("INTERNAL", `registry ${session.where} answered ${what} with ${RegistrySession.errorText(res)}`);
}

export async function catalog(session: RegistrySession): Promise<RegistriesResults["registries.catalog"]> {
  const repositories: string[] = [];
  let path: string | undefined = `/v2/_catalog?n=${PAGE}`;
  let truncated = false;
  for (let page = 0; path; page++) {
    if (page >= PAGES_MAX || repositories.length >= REPOSITORIES_MAX) {
      truncated = true;
      break;
    }
    const res = await session.request(path, { scope: "registry:catalog:*", what: "the catalogue" });
    if (res.status === 404) fail("NOT_FOUND", `registry ${session.where} has no catalogue (/v2/_catalog answered 404: Docker Hub and some registries do not offer one)`);
    if (res.status !== 200) refuse(session, res, "the catalogue");
    const body = json(res, "the catalogue", session.where) as { repositories?: unknown };
    const names = Array.isArray(body.repositories) ? body.repositories.filter((r): r is string => typeof r === "string" && r.length <= 255) : [];
    repositories.push(...names);
    path = names.length ? nextPage(res.headers.get("link"), "/v2/_catalog") : undefined;
  }
  if (repositories.length > REPOSITORIES_MAX) {
    repositories.length = REPOSITORIES_MAX;
    truncated = true;
  }
  return { repositories, truncated };
}

async function tagNames(session: RegistrySession, repository: string): Promise<{ names: string[]; truncated: boolean }> {
  const prefix = `/v2/${repository}/tags/list`;
  const names: string[] = [];
  let path: string | undefined = `${prefix}?n=${PAGE}`;
  for (let page = 0; path; page++) {
    if (page >= PAGES_MAX || names.length >= TAGS_MAX) return { names: names.slice(0, TAGS_MAX), truncated: true };
    const res = await session.request(path, { scope: `repository:${repository}:pull`, what: `the tags of ${repository}` });
    if (res.status !== 200) refuse(session, res, `repository ${repository}`);
    const body = json(res, "the tag list", session.where) as { tags?: unknown };
    const page_ = Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === "string" && t.length <= 128) : [];
    names.push(...page_);
    path = page_.length ? nextPage(res.headers.get("link"), prefix) : undefined;
  }
  return { names: names.slice(0, TAGS_MAX), truncated: names.length > TAGS_MAX };
}

interface Manifest {
  mediaType?: string;
  config?: { size?: number };
  layers?: { size?: number }[];
  manifests?: { digest?: string; size?: number; platform?: { os?: string; architecture?: string; variant?: string } }[];
}

async function manifest(session: RegistrySession, repository: string, reference: string): Promise<{ digest: string; mediaType?: string; body: Manifest }> {
  const res = await session.request(`/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_TYPES, scope: `repository:${repository}:pull`, what: `manifest ${repository}:${reference}` });
  if (res.status !== 200) refuse(session, res, `manifest ${repository}:${reference}`);
  const digest = res.headers.get("docker-content-digest") ?? `sha256:${crypto.createHash("sha256").update(res.body).digest("hex")}`;
  const body = json(res, "the manifest", session.where) as Manifest;
  const mediaType = body.mediaType ?? res.headers.get("content-type")?.split(";")[0];
  return { digest, mediaType, body };
}

/** Config plus layers: what a pull downloads (compressed). */
function imageSize(m: Manifest): number | undefined {
  if (!m.config && !m.layers) return undefined;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  return n(m.config?.size) + (m.layers ?? []).reduce((sum, l) => sum + n(l?.size), 0);
}

async function describeTag(session: RegistrySession, repository: string, tag: string, reads: { left: number }): Promise<RegistryTag> {
  try {
    const m = await manifest(session, repository, tag);
    if (!Array.isArray(m.body.manifests)) return { tag, digest: m.digest, mediaType: m.mediaType, size: imageSize(m.body) };
    const platforms: RegistryPlatform[] = [];
    for (const child of m.body.manifests.slice(0, PLATFORMS_MAX)) {
      if (typeof child?.digest !== "string" || !/^[a-z0-9]+:[a-f0-9]{32,128}$/.test(child.digest)) continue;
      let size: number | undefined;
      if (reads.left-- > 0) {
        try {
          size = imageSize((await manifest(session, repository, child.digest)).body);
        } catch {
          size = undefined;
        }
      }
      const p = child.platform ?? {};
      platforms.push({ digest: child.digest, os: p.os, architecture: p.architecture, variant: p.variant, size });
    }
    return { tag, digest: m.digest, mediaType: m.mediaType, platforms };
  } catch (err) {
    // One unreadable tag does not hide the others.
    return { tag, error: err instanceof Error ? err.message : String(err) };
  }
}

export async function tags(session: RegistrySession, repository: string): Promise<RegistriesResults["registries.tags"]> {
  const { names, truncated } = await tagNames(session, repository);
  const out: RegistryTag[] = new Array(names.length);
  const reads = { left: PLATFORM_READS_MAX };
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      out[i] = await describeTag(session, repository, names[i]!, reads);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, names.length) }, worker));
  return { repository, tags: out, truncated };
}

export async function deleteTag(session: RegistrySession, repository: string, tag: string): Promise<RegistriesResults["registries.deleteTag"]> {
  const scope = `repository:${repository}:pull`;
  const head = await session.request(`/v2/${repository}/manifests/${tag}`, { method: "HEAD", accept: MANIFEST_TYPES, scope, what: `manifest ${repository}:${tag}` });
  if (head.status === 404) fail("NOT_FOUND", `registry ${session.where}: no tag ${repository}:${tag}`, "tag");
  if (head.status !== 200) refuse(session, head, `manifest ${repository}:${tag}`);
  const digest = head.headers.get("docker-content-digest") ?? (await manifest(session, repository, tag)).digest;
  if (!/^[a-z0-9]+:[a-f0-9]{32,128}$/.test(digest)) fail("INTERNAL", `registry ${session.where} answered an invalid digest for ${repository}:${tag}`);
  const res = await session.request(`/v2/${repository}/manifests/${digest}`, { method: "DELETE", scope: `repository:${repository}:delete`, what: `deleting ${repository}:${tag}` });
  if (res.status === 202 || res.status === 200 || res.status === 204) return { repository, tag, digest };
  if (res.status === 405) {
    fail("BAD_REQUEST", `registry ${session.where} does not allow deleting (HTTP 405 ${RegistrySession.errorText(res)}): deletion is disabled there (for Docker's registry: storage.delete.enabled)`);
  }
  if (res.status === 404) fail("NOT_FOUND", `registry ${session.where}: ${repository}@${digest} is already gone`, "tag");
  refuse(session, res, `deleting ${repository}:${tag}`);
}
