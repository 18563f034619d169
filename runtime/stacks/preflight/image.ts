/**
 * Image present or pullable: present on the engine passes; otherwise the engine
 * is asked for the registry's manifest (`GET /distribution/{name}/json`, which
 * uses the engine's own credentials and mirrors), and for a Docker Hub image
 * the engine's registry mirrors are asked directly too (a plain manifest HEAD),
 * because an engine that pulls only through a mirror may still fail the
 * distribution call after trying Docker Hub itself.
 *
 * The dashboard does not hand registry credentials to the preflight, so a 401
 * is a warning ("needs a login"), not a failure: the deploy's pull may have them.
 */
import type Docker from "dockerode";
import { toRuntimeError } from "../../engine/errors";
import { parseImageReference } from "../../run-spec/image-reference";
import type { PreflightCheck } from "../protocol";
import { type EngineFacts, ENGINE_DEADLINE_MS, reason, within } from "./facts";
import type { Plan } from "./plan";

const DISTRIBUTION_DEADLINE_MS = 4_000;
const MIRROR_DEADLINE_MS = 3_000;
const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
].join(", ");
const HUB_DOMAINS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** For a Docker Hub image: its repository path on a registry (`library/redis`) and the tag or digest; undefined for another registry. */
export function hubManifestPath(image: string): { repository: string; reference: string } | undefined {
  const parsed = parseImageReference(image);
  if (!parsed.ok || parsed.ref.id) return undefined;
  const { name, tag, digest } = parsed.ref;
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasDomain && !HUB_DOMAINS.has(first)) return undefined;
  let repository = hasDomain ? name.slice(slash + 1) : name;
  if (!repository.includes("/")) repository = `library/${repository}`;
  return { repository, reference: digest ?? tag ?? "latest" };
}

type Verdict = { found: true; where: string } | { found: false; auth: boolean; message: string };

const isAuth = (status: number | undefined, message: string) =>
  status === 401 || status === 403 || /unauthorized|authentication required|no basic auth credentials/i.test(message);

async function askEngine(docker: Docker, image: string): Promise<Verdict> {
  try {
    await within(DISTRIBUTION_DEADLINE_MS, "the registry (through the engine)", docker.getImage(image).distribution());
    return { found: true, where: "the registry answers for it (through the engine)" };
  } catch (err) {
    const e = toRuntimeError(err);
    const message = reason(err);
    // "manifest unknown: manifest unknown" as the registry repeats itself: once is enough.
    const said = message.replace(/^(.+): \1$/, "$1");
    return { found: false, auth: isAuth(e.dockerStatus, message), message: `the engine says: ${said}` };
  }
}

async function askMirror(mirror: string, path: { repository: string; reference: string }): Promise<Verdict> {
  let url: URL;
  try {
    url = new URL(`v2/${path.repository}/manifests/${path.reference}`, mirror.endsWith("/") ? mirror : `${mirror}/`);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    return { found: false, auth: false, message: `the mirror ${mirror} is not an http(s) address` };
  }
  try {
    // HEAD: no body to read or bound; a registry answers it exactly as the GET.
    const res = await fetch(url, { method: "HEAD", headers: { accept: MANIFEST_TYPES }, redirect: "follow", signal: AbortSignal.timeout(MIRROR_DEADLINE_MS) });
    if (res.ok) return { found: true, where: `the engine's registry mirror ${mirror} has it` };
    if (res.status === 401 || res.status === 403) return { found: false, auth: true, message: `the mirror ${mirror} asks for a login (HTTP ${res.status})` };
    if (res.status === 404) return { found: false, auth: false, message: `the mirror ${mirror} does not have it` };
    return { found: false, auth: false, message: `the mirror ${mirror} answered HTTP ${res.status}` };
  } catch (err) {
    const why = err instanceof Error && err.name === "TimeoutError" ? `did not answer within ${MIRROR_DEADLINE_MS / 1000} s` : `is not reachable (${(err as Error).message})`;
    return { found: false, auth: false, message: `the mirror ${mirror} ${why}` };
  }
}

async function mirrorsOf(facts: EngineFacts): Promise<string[]> {
  try {
    return ((await facts.info()).RegistryConfig?.Mirrors ?? []).slice(0, 5);
  } catch {
    return [];
  }
}

export async function imageCheck(docker: Docker, facts: EngineFacts, image: string, users: string[], neverPull = false): Promise<PreflightCheck> {
  const id = `image:${image}`;
  const title = `Image ${image} is present or pullable`;
  const forWhom = users.length ? ` (for ${users.join(", ")})` : "";
  try {
    await within(ENGINE_DEADLINE_MS, `inspecting image ${image}`, docker.getImage(image).inspect());
    return { id, title, status: "pass", message: `present on the engine${forWhom}` };
  } catch (err) {
    if (toRuntimeError(err).code !== "NOT_FOUND") {
      return { id, title, status: "warn", message: `could not be checked: ${reason(err)}`, fix: "check that the engine answers, then run the checks again" };
    }
  }
  if (neverPull) {
    return { id, title, status: "fail", message: `not on the engine, and pull_policy: never forbids pulling it${forWhom}`, fix: "pull or load the image (docker load) first, or remove pull_policy: never" };
  }
  const hub = hubManifestPath(image);
  // Both at once: the mirror answers in milliseconds, the engine may first try Docker Hub itself.
  const engine = askEngine(docker, image);
  const mirrors = hub ? await Promise.all((await mirrorsOf(facts)).map((m) => askMirror(m, hub))) : [];
  const fromMirror = mirrors.find((v) => v.found);
  if (fromMirror?.found) return { id, title, status: "pass", message: `not on the engine yet; pullable: ${fromMirror.where}${forWhom}` };
  const verdict = await engine;
  if (verdict.found) return { id, title, status: "pass", message: `not on the engine yet; pullable: ${verdict.where}${forWhom}` };
  const failures = [verdict, ...mirrors].filter((v): v is Extract<Verdict, { found: false }> => !v.found);
  const detail = failures.map((v) => v.message).join("; ");
  if (failures.some((v) => v.auth)) {
    return { id, title, status: "warn", message: `not on the engine, and the registry needs a login to tell: ${detail}`, fix: "add the registry in Registries (with its credentials), or pull the image first" };
  }
  return {
    id,
    title,
    status: "fail",
    message: `not on the engine and not pullable${forWhom}: ${detail}`,
    fix: "check the image name and that the registry is reachable, or load the image (docker load) first",
  };
}

export async function imageChecks(plan: Plan, docker: Docker, facts: EngineFacts): Promise<PreflightCheck[]> {
  const built: PreflightCheck[] = [];
  const users = new Map<string, string[]>();
  const neverPull = new Set<string>();
  for (const c of plan.containers) {
    if (c.build) {
      const who = c.service ?? c.name;
      if (!built.some((b) => b.id === `image:build:${who}`)) {
        built.push({ id: `image:build:${who}`, title: `Image of ${who}`, status: "pass", message: "built from the stack folder at deploy" });
      }
      continue;
    }
    const list = users.get(c.spec.image) ?? [];
    const who = c.service ?? c.name;
    if (who && !list.includes(who)) list.push(who);
    users.set(c.spec.image, list);
    if (c.neverPull) neverPull.add(c.spec.image);
  }
  const checks = await Promise.all([...users].map(([image, who]) => imageCheck(docker, facts, image, plan.stack ? who : [], neverPull.has(image))));
  return [...checks, ...built];
}
