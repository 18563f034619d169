/**
 * Creating a container from a RunSpec, the way `docker run` does it, and the way
 * back (a container → its RunSpec and its `docker run` command).
 *
 * Create reports each step: the spec is checked first (validateRunSpec, then what
 * needs the engine: the network and its subnet, referenced containers, host ports
 * held by running containers), the image is pulled when missing or when Always pull
 * is chosen, the container is created, then started. A start that fails leaves the
 * container there and says so with its id: nothing is removed behind the user's back.
 */
import type Docker from "dockerode";
import type { z } from "zod";
import { checkAgainstEngine, engineDefaults, field, imageDefaults } from "./create-checks";
import { createError, valueField } from "./create-errors";
import type { ContainerCreateMethod, ContainerCreateResults, containerCreateMethods } from "./create-types";
import type { ContainerLookup } from "./actions";
import { pullImage } from "../engine/client";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import {
  type ContainerInspect, dockerRunCaveats, type ImageInspect, type RunSpec, specFromInspect, toCreateRequest,
  toDockerRun, validateRunSpec,
} from "../run-spec/index";

type In<M extends ContainerCreateMethod> = z.output<(typeof containerCreateMethods)[M]>;
export type ContainerCreateHandlers = { [M in ContainerCreateMethod]: (input: In<M>) => Promise<ContainerCreateResults[M]> };

const fail = (error: RuntimeError): never => {
  throw new RuntimeFailure(error);
};

export function containerCreateHandlers(docker: Docker, lookup: ContainerLookup): ContainerCreateHandlers {
  const describe = async (id: string): Promise<RunSpec> => {
    const subject = `container ${lookup(id)?.name ?? id}`;
    try {
      const container = (await docker.getContainer(id).inspect()) as unknown as ContainerInspect;
      // The image may be gone (removed with -f while in use): then nothing is known to come from it.
      const image = (await docker.getImage(String(container.Image)).inspect().catch(() => null)) as unknown as ImageInspect | null;
      return specFromInspect(container, image, await engineDefaults(docker, lookup));
    } catch (err) {
      throw new RuntimeFailure(toRuntimeError(err, subject));
    }
  };

  return {
    "containers.create": ({ spec, createOnly }) => createContainer(docker, spec, createOnly),
    "containers.spec": ({ id }) => describe(id),
    "containers.runCommand": async ({ id }) => {
      const spec = await describe(id);
      return {
        command: toDockerRun(spec),
        multiline: toDockerRun(spec, { multiline: true }),
        caveats: dockerRunCaveats(spec),
      };
    },
    "images.defaults": ({ image }) => imageDefaults(docker, image),
    "containers.createOptions": async () => {
      try {
        const [networks, volumes, images, containers] = await Promise.all([
          docker.listNetworks(),
          docker.listVolumes(),
          docker.listImages(),
          docker.listContainers({ all: true }),
        ]);
        return {
          networks: networks
            .map((n) => ({ name: n.Name, driver: n.Driver, subnets: (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])) }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          volumes: (volumes.Volumes ?? []).map((v) => v.Name).sort(),
          images: images.flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>")).sort(),
          containers: containers.map((c) => (c.Names?.[0] ?? c.Id).replace(/^\//, "")).sort(),
        };
      } catch (err) {
        throw new RuntimeFailure(toRuntimeError(err, "create options"));
      }
    },
  };
}

/** validate → engine checks → pull if needed → create → start (unless createOnly). */
export async function createContainer(docker: Docker, input: unknown, createOnly: boolean): Promise<ContainerCreateResults["containers.create"]> {
  const valid = validateRunSpec(input);
  if (!valid.ok) return fail({ code: "BAD_REQUEST", message: valid.errors.map((e) => e.message).join("; "), field: valid.errors[0].field });
  const spec = valid.spec;
  await checkAgainstEngine(docker, spec);

  const pulled = await ensureImage(docker, spec);
  const { name, platform, body } = toCreateRequest(spec);
  let answer: { Id: string; Warnings?: string[] | null };
  try {
    // `_query`/`_body` go out as they are, so the body is exactly toCreateRequest's; dialled
    // directly (not createContainer) to keep the engine's Warnings, which dockerode drops.
    const options = { _query: { ...(name ? { name } : {}), ...(platform ? { platform } : {}) }, _body: body };
    answer = await new Promise((resolve, reject) =>
      docker.modem.dial(
        {
          path: "/containers/create?",
          method: "POST",
          options,
          statusCodes: { 200: true, 201: true, 400: "bad parameter", 404: "not found", 409: "conflict", 500: "server error" },
        },
        (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as { Id: string })),
      ),
    );
  } catch (err) {
    return fail(await createError(docker, err, spec));
  }
  const warnings = (answer.Warnings ?? []).filter(Boolean);
  const id = answer.Id;
  const created = docker.getContainer(id);
  const shownName = name ?? (await docker.getContainer(id).inspect().then((c) => c.Name.replace(/^\//, "")).catch(() => id.slice(0, 12)));
  if (createOnly) return { id, name: shownName, started: false, pulled, warnings };

  try {
    await created.start();
  } catch (err) {
    const e = toRuntimeError(err);
    // Taken by another container ("port is already allocated") or by a process on the host ("address already in use").
    const port = (/Bind for (\S+) failed: port is already allocated/.exec(e.message) ?? /listen \w+ (\S+): bind: address already in use/.exec(e.message))?.[1];
    const reason = port ? `host port ${port} is already allocated (${e.message})` : e.message;
    // With --rm the engine may already have removed it: say which it is.
    const still = await created.inspect().then(() => true, () => false);
    const after = still ? "It is still there, stopped: fix the cause and start it, or remove it." : "Auto remove has already removed it.";
    const refused = valueField(e.message, spec);
    fail({
      ...e,
      message: `${refused ? `${refused}: ` : ""}container ${shownName} (${id.slice(0, 12)}) was created but did not start: ${reason}. ${after}`,
      ...(still ? { containerId: id, created: true } : {}),
      ...(port ? { field: "ports" } : {}),
      ...(refused ? { code: "BAD_REQUEST", field: refused } : {}),
    });
  }
  return { id, name: shownName, started: true, pulled, warnings };
}

/** Pulls when asked (Always pull) or when the image is not on the engine; true when it pulled. */
async function ensureImage(docker: Docker, spec: RunSpec): Promise<boolean> {
  const ref = spec.image;
  if (!spec.alwaysPull) {
    try {
      await docker.getImage(ref).inspect();
      return false;
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 400) fail(field(toRuntimeError(err), "image", `"${ref}": ${toRuntimeError(err).message}`));
      if (status !== 404) fail(toRuntimeError(err, `image ${ref}`));
    }
  }
  try {
    await pullImage(docker, ref, spec.platform);
    return true;
  } catch (err) {
    const e = toRuntimeError(err);
    const why = spec.alwaysPull ? "Always pull is on, and pulling it failed" : "it is not on this engine, and pulling it failed";
    const code = /invalid reference format/i.test(e.message) ? "BAD_REQUEST" : e.code === "INTERNAL" || e.code === "NOT_FOUND" ? "NOT_FOUND" : e.code;
    return fail({ ...e, code, field: "image", message: `image "${ref}" not found: ${why} (Berth tried to pull it): ${e.message}` });
  }
}
