/**
 * Recreate: a new container from the old one's own inspect (Config, HostConfig,
 * every network endpoint with its static IPs and aliases), under the same name,
 * optionally after pulling the image again. The old container is set aside (renamed
 * and stopped), not removed, until the new one runs; any failure before that puts
 * the old one back as it was.
 */
import type Docker from "dockerode";
import type { ContainerInspectJson, ContainerOpsResults } from "./types";
import { pullImage } from "../engine/client";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import { changedUnlessNotModified } from "../engine/not-modified";

type Endpoint = NonNullable<ContainerInspectJson["NetworkSettings"]["Networks"]>[string] & {
  Links?: string[] | null;
  DriverOpts?: Record<string, string> | null;
};

export async function recreateContainer(
  docker: Docker,
  id: string,
  opts: { pull: boolean },
  subject: string,
): Promise<ContainerOpsResults["containers.recreate"]> {
  const fail = (err: unknown, what: string): never => {
    const e = toRuntimeError(err);
    throw new RuntimeFailure({ ...e, message: `${subject}: ${what}: ${e.message}` });
  };
  let info: ContainerInspectJson;
  try {
    info = (await docker.getContainer(id).inspect()) as unknown as ContainerInspectJson;
  } catch (err) {
    throw new RuntimeFailure(toRuntimeError(err, subject));
  }
  const name = info.Name.replace(/^\//, "");
  const image = info.Config.Image;
  const wasRunning = info.State.Running || info.State.Restarting;

  let pulled = false;
  if (opts.pull && !/^sha256:/.test(image)) {
    try {
      await pullImage(docker, image);
      pulled = true;
    } catch (err) {
      fail(err, `pulling image ${image} failed (nothing was changed)`);
    }
  }

  const { body, extraNetworks } = createBodyFromInspect(info);
  const old = docker.getContainer(info.Id);
  const aside = `${name}-berth-old-${Date.now().toString(36)}`;

  // Rename first: it works on a running container and frees the name, and an
  // auto-remove container stopped under its real name could not be put back.
  try {
    await old.rename({ name: aside });
  } catch (err) {
    fail(err, "could not set the old container aside (nothing was changed)");
  }
  const restoreOld = async () => {
    await old.rename({ name }).catch(() => undefined);
    if (wasRunning) await old.start().catch(() => undefined);
  };

  try {
    if (wasRunning) await changedUnlessNotModified(() => old.stop());
  } catch (err) {
    await restoreOld();
    fail(err, "stopping the old container failed (it was left as it was)");
  }

  let created: Docker.Container | undefined;
  try {
    created = await docker.createContainer({ ...body, name } as Docker.ContainerCreateOptions);
    for (const [net, endpoint] of extraNetworks) {
      await docker.getNetwork(net).connect({ Container: created.id, EndpointConfig: endpoint });
    }
    if (wasRunning) await created.start();
  } catch (err) {
    if (created) await created.remove({ force: true }).catch(() => undefined);
    await restoreOld();
    fail(err, "creating the new container failed; the old one was restored");
  }

  try {
    await old.remove({ force: true, v: false });
  } catch (err) {
    // The new container runs; the old one is only left over under its aside name.
    fail(err, `the new container runs, but removing the old one (now named ${aside}) failed`);
  }
  return { id: created!.id, name, changed: true, oldId: info.Id, pulled, started: wasRunning };
}

/**
 * The create body that makes the same container: the inspect's Config and
 * HostConfig as they are, except what the engine derived for the old one
 * (hostname = short id, its id as an alias), anonymous volumes kept by name so
 * their data survives, and the primary network's endpoint in NetworkingConfig
 * (API 1.41 takes one there; the others are connected before start).
 */
export function createBodyFromInspect(info: ContainerInspectJson): {
  body: Record<string, unknown>;
  extraNetworks: [string, Record<string, unknown>][];
} {
  const shortId = info.Id.slice(0, 12);
  const config: Record<string, unknown> = { ...info.Config };
  if (config.Hostname === shortId) delete config.Hostname;

  const hostConfig: Record<string, unknown> = { ...info.HostConfig };
  const binds = [...((hostConfig.Binds as string[] | null) ?? [])];
  const mounts = (hostConfig.Mounts as { Source?: string; Target?: string }[] | null) ?? [];
  for (const m of info.Mounts ?? []) {
    if (m.Type !== "volume" || !m.Name) continue;
    const declared = binds.some((b) => b.split(":")[0] === m.Name) || mounts.some((x) => x.Source === m.Name || x.Target === m.Destination);
    if (!declared) binds.push(`${m.Name}:${m.Destination}${m.RW ? "" : ":ro"}`);
  }
  if (binds.length) hostConfig.Binds = binds;

  const mode = String(hostConfig.NetworkMode ?? "default");
  const primary = mode === "default" ? "bridge" : mode;
  const endpoints = Object.entries((info.NetworkSettings.Networks ?? {}) as Record<string, Endpoint>);
  const toEndpoint = (e: Endpoint): Record<string, unknown> => {
    const aliases = (e.Aliases ?? []).filter((a) => a !== shortId && a !== info.Id);
    const ipam = e.IPAMConfig && (e.IPAMConfig.IPv4Address || e.IPAMConfig.IPv6Address) ? e.IPAMConfig : undefined;
    return {
      ...(ipam ? { IPAMConfig: ipam } : {}),
      ...(aliases.length ? { Aliases: aliases } : {}),
      ...(e.Links?.length ? { Links: e.Links } : {}),
      ...(e.DriverOpts ? { DriverOpts: e.DriverOpts } : {}),
    };
  };
  const sharesNetwork = primary === "host" || primary === "none" || primary.startsWith("container:");
  const primaryEntry = endpoints.find(([n]) => n === primary);
  const extraNetworks = sharesNetwork
    ? []
    : endpoints.filter(([n]) => n !== primary).map(([n, e]) => [n, toEndpoint(e)] as [string, Record<string, unknown>]);

  return {
    body: {
      ...config,
      HostConfig: hostConfig,
      ...(primaryEntry && !sharesNetwork ? { NetworkingConfig: { EndpointsConfig: { [primary]: toEndpoint(primaryEntry[1]) } } } : {}),
    },
    extraNetworks,
  };
}
