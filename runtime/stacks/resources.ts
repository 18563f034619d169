/**
 * A project's networks, named volumes and images, made ready before any
 * container: networks and volumes carry exactly the labels docker-compose 1.29
 * checks (it refuses to reuse a network or volume without them), external ones
 * must exist; images are pulled per pull policy (progress as task layers) or
 * built from the stack folder through the engine's build API.
 */
import fs from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import tarStream from "tar-stream";
import type { RegistryAuth } from "../protocol/registry-auth";
import { COMPOSE_LABELS, COMPOSE_VERSION, type ComposeProject, type ComposeService } from "../compose/model";
import { engineCall, RuntimeFailure, toRuntimeError } from "../engine/errors";
import { registryConfigOption } from "../engine/registry-config";
import { followDockerStream } from "../tasks/docker-progress";
import type { TaskHandle } from "../tasks/registry";

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

async function exists(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw err;
  }
}

/** Creates the project's networks that are missing; answers warnings about ones found that another project or tool made. */
export async function ensureNetworks(docker: Docker, project: ComposeProject, t: TaskHandle): Promise<string[]> {
  const warnings: string[] = [];
  for (const net of Object.values(project.networks)) {
    const subject = `network ${net.name}`;
    const found = await engineCall(subject, async () => {
      try {
        return (await docker.getNetwork(net.name).inspect()) as { Labels?: Record<string, string> };
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    });
    if (net.external) {
      if (!found) throw new RuntimeFailure({ code: "NOT_FOUND", field: "file", message: `networks.${net.key}: the external network ${net.name} does not exist; create it first` });
      continue;
    }
    if (found) {
      const labels = found.Labels ?? {};
      if (labels[COMPOSE_LABELS.project] !== project.name || labels[COMPOSE_LABELS.network] !== net.key)
        warnings.push(`network ${net.name} exists without this stack's compose labels: used as it is (docker-compose would refuse it; mark it external: true)`);
      continue;
    }
    t.line(`Creating network ${net.name}`);
    const ipam = net.ipam
      ? {
          Driver: net.ipam.driver ?? "default",
          Config: net.ipam.config.map((c) => ({
            ...(c.subnet ? { Subnet: c.subnet } : {}),
            ...(c.gateway ? { Gateway: c.gateway } : {}),
            ...(c.ipRange ? { IPRange: c.ipRange } : {}),
            ...(c.auxAddresses ? { AuxiliaryAddresses: c.auxAddresses } : {}),
          })),
        }
      : undefined;
    await engineCall(subject, () =>
      docker.createNetwork({
        Name: net.name,
        CheckDuplicate: true,
        Driver: net.driver ?? "bridge",
        ...(net.driverOpts ? { Options: net.driverOpts } : {}),
        ...(ipam ? { IPAM: ipam } : {}),
        Internal: net.internal === true,
        Attachable: net.attachable === true,
        EnableIPv6: net.enableIpv6 === true,
        Labels: { ...net.labels, [COMPOSE_LABELS.network]: net.key, [COMPOSE_LABELS.project]: project.name, [COMPOSE_LABELS.version]: COMPOSE_VERSION },
      }),
    );
  }
  return warnings;
}

export async function ensureVolumes(docker: Docker, project: ComposeProject, t: TaskHandle): Promise<void> {
  for (const vol of Object.values(project.volumes)) {
    const subject = `volume ${vol.name}`;
    const found = await engineCall(subject, () => exists(() => docker.getVolume(vol.name).inspect()));
    if (vol.external) {
      if (!found) throw new RuntimeFailure({ code: "NOT_FOUND", field: "file", message: `volumes.${vol.key}: the external volume ${vol.name} does not exist; create it first` });
      continue;
    }
    if (found) continue;
    t.line(`Creating volume ${vol.name}`);
    await engineCall(subject, () =>
      docker.createVolume({
        Name: vol.name,
        Driver: vol.driver ?? "local",
        DriverOpts: vol.driverOpts ?? {},
        Labels: { ...vol.labels, [COMPOSE_LABELS.volume]: vol.key, [COMPOSE_LABELS.project]: project.name, [COMPOSE_LABELS.version]: COMPOSE_VERSION },
      }),
    );
  }
}

/** The image id a reference names here, or undefined when the engine does not have it. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

async function pull(docker: Docker, ref: string, t: TaskHandle, auth?: RegistryAuth): Promise<void> {
  // A reference without tag or digest pulls every tag: name `latest` as the CLI does.
  const lastPart = ref.split("/").at(-1) ?? ref;
  const full = ref.includes("@") || lastPart.includes(":") ? ref : `${ref}:latest`;
  const stream = (await docker.pull(full, { abortSignal: t.signal, ...(auth ? { authconfig: auth } : {}) })) as NodeJS.ReadableStream;
  await followDockerStream(stream, t);
}

/**
 * The build context as a tar stream: regular files, folders and symlinks under
 * `dir` (symlinks kept as links, never followed out). A read error ends the
 * stream early and is reported by `failure()` (the stream itself never emits an
 * unhandled error: it is piped into the engine's request).
 */
function packFolder(dir: string): { stream: NodeJS.ReadableStream; failure: () => Error | undefined } {
  const pack = tarStream.pack();
  let failed: Error | undefined;
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.promises.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(dir, name);
      const st = await fs.promises.lstat(full);
      if (e.isDirectory()) {
        pack.entry({ name, type: "directory", mode: st.mode & 0o7777, mtime: st.mtime });
        await walk(name);
      } else if (e.isSymbolicLink()) {
        pack.entry({ name, type: "symlink", linkname: await fs.promises.readlink(full), mode: st.mode & 0o7777, mtime: st.mtime });
      } else if (e.isFile()) {
        const data = await fs.promises.readFile(full);
        await new Promise<void>((res, rej) => pack.entry({ name, size: data.length, mode: st.mode & 0o7777, mtime: st.mtime }, data, (err) => (err ? rej(err) : res())));
      }
    }
  };
  pack.on("error", (err: Error) => (failed ??= err));
  walk("").then(
    () => pack.finalize(),
    (err: Error) => {
      failed ??= err;
      pack.finalize();
    },
  );
  return { stream: pack, failure: () => failed };
}

async function build(docker: Docker, s: ComposeService, workingDir: string, t: TaskHandle, registryConfig?: string): Promise<void> {
  const b = s.build!;
  const context = path.resolve(workingDir, b.context);
  const rel = path.relative(workingDir, context);
  if (rel.startsWith("..") || path.isAbsolute(rel)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "file", message: `services.${s.name}.build.context: must be inside the stack folder` });
  if (!fs.existsSync(context)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "file", message: `services.${s.name}.build.context: the folder ${b.context} does not exist in the stack folder` });
  // A symlink in the path must not lead the build out of the stack folder.
  const real = fs.realpathSync(context);
  const realRoot = fs.realpathSync(workingDir);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "file", message: `services.${s.name}.build.context: must be inside the stack folder` });
  const tar = packFolder(real);
  const stream = (await docker.buildImage(tar.stream, {
    t: s.spec.image,
    ...(b.dockerfile ? { dockerfile: b.dockerfile } : {}),
    ...(b.args && Object.keys(b.args).length ? { buildargs: b.args } : {}),
    ...(b.target ? { target: b.target } : {}),
    rm: true,
    forcerm: true,
    abortSignal: t.signal,
    ...(registryConfig ? registryConfigOption(registryConfig) : {}),
  })) as NodeJS.ReadableStream;
  const contextError = () => {
    const failed = tar.failure();
    return failed ? new RuntimeFailure({ code: "BAD_REQUEST", message: `build context ${b.context}: ${failed.message}` }) : undefined;
  };
  // A context that could not be read explains a failed build better than the engine's "unexpected EOF".
  await followDockerStream(stream, t).catch((err: unknown) => {
    throw contextError() ?? err;
  });
  const failed = contextError();
  if (failed) throw failed;
}

/**
 * Makes each service's image present (pull policy `missing` or `always`, the
 * service's own `pull_policy` first, `build:` when the image is missing or the
 * policy says build) and answers service → image id.
 */
export async function ensureImages(docker: Docker, services: ComposeService[], workingDir: string, pullPolicy: "missing" | "always", t: TaskHandle, auths?: Record<string, RegistryAuth>, registryConfig?: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const done = new Map<string, string>();
  for (const s of services) {
    const ref = s.spec.image;
    const subject = `service ${s.name}: image ${ref}`;
    try {
      const known = done.get(ref);
      if (known) {
        ids.set(s.name, known);
        continue;
      }
      const policy = s.pullPolicy === "if_not_present" ? "missing" : (s.pullPolicy ?? pullPolicy);
      const present = await imageId(docker, ref);
      if (s.build && (policy === "build" || !present)) {
        t.layer({ id: s.name, status: "Building" });
        await build(docker, s, workingDir, t, registryConfig);
      } else if (policy === "always" || (!present && policy !== "never")) {
        t.layer({ id: s.name, status: "Pulling" });
        await pull(docker, ref, t, auths && Object.hasOwn(auths, ref) ? auths[ref] : undefined);
      } else if (!present) {
        throw new RuntimeFailure({ code: "NOT_FOUND", field: "file", message: `${subject}: not on this engine and pull_policy is never` });
      }
      const id = await imageId(docker, ref);
      if (!id) throw new RuntimeFailure({ code: "NOT_FOUND", message: `${subject}: not found after ${s.build ? "the build" : "the pull"}` });
      ids.set(s.name, id);
      done.set(ref, id);
    } catch (err) {
      t.layer({ id: s.name, status: "Failed" });
      if (err instanceof RuntimeFailure) throw err.error.message.startsWith(`service ${s.name}`) ? err : new RuntimeFailure({ ...err.error, message: `${subject}: ${err.error.message}` });
      throw new RuntimeFailure(toRuntimeError(err, subject));
    }
  }
  return ids;
}

/** The repository of a reference (`nginx:1.27` → `nginx`, `reg:5000/a/b@sha256:…` → `reg:5000/a/b`). */
export function repoOf(ref: string): string {
  const noDigest = ref.split("@")[0];
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The image a container ran, pinned: `repo@sha256:…` from RepoDigests, else the image id (built or loaded here). */
export async function pinnedImage(docker: Docker, ref: string, id: string): Promise<string> {
  if (/@sha256:[a-f0-9]{64}$/.test(ref)) return ref;
  if (/^sha256:[a-f0-9]{64}$/.test(ref)) return ref;
  try {
    const info = await docker.getImage(id).inspect();
    const repo = repoOf(ref);
    const bare = repo.replace(/^(docker\.io\/)?(library\/)?/, "");
    const match = (info.RepoDigests ?? []).find((d) => {
      const r = d.split("@")[0];
      return r === repo || r === bare || r.replace(/^(docker\.io\/)?(library\/)?/, "") === bare;
    });
    return match ?? info.Id;
  } catch {
    return id;
  }
}
