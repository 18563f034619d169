/**
 * Container operations beyond start/stop/restart/remove: inspect, top, diff,
 * kill, pause, rename, update, commit, network connect/disconnect, bulk.
 * Every Docker error goes through toRuntimeError with the container named.
 */
import type Docker from "dockerode";
import type { z } from "zod";
import { containerAction, type ContainerLookup } from "./actions";
import type { ContainerInspectJson, ContainerOpsMethod, ContainerOpsResults, ImageInspectJson } from "./types";
import type { ActionResult, BulkItemResult } from "../protocol/action-result";
import { changedUnlessNotModified } from "../engine/not-modified";
import { containerOpsMethods } from "./types";
import { BULK_CONCURRENCY } from "./protocol";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import { recreateContainer } from "./recreate";
import { cpusToNano, parseBytes, parseSwapBytes } from "../run-spec/units";
import { staticAddressProblem } from "../run-spec/subnets";

type In<M extends ContainerOpsMethod> = z.output<(typeof containerOpsMethods)[M]>;
export type ContainerOpsHandlers = { [M in ContainerOpsMethod]: (input: In<M>) => Promise<ContainerOpsResults[M]> };

/** Runs `fn`, mapping any Docker error to one that names the container. */
async function named<T>(subject: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new RuntimeFailure(toRuntimeError(err, subject));
  }
}

/**
 * The engine runs ps with the options as given and answers 500 with ps's own
 * complaint ("ps: error: garbage option") or with what it could not read in ps's
 * output: the options were refused, not the engine, so it is a 400 on psArgs.
 */
function psArgsError(err: unknown, psArgs: string): RuntimeError | undefined {
  const e = toRuntimeError(err);
  if (e.dockerStatus !== 500) return undefined;
  const shown = JSON.stringify(psArgs);
  if (/^ps: /.test(e.message))
    return { code: "BAD_REQUEST", field: "psArgs", message: `psArgs: ps rejected these options (${shown}): ${e.message.slice(4)}` };
  if (/Couldn't find PID field/i.test(e.message))
    return { code: "BAD_REQUEST", field: "psArgs", message: `psArgs: ps's output with these options (${shown}) has no PID column: include pid (e.g. -o pid,user,args)` };
  if (/^specifying ".*" is not allowed$|^Unexpected pid/.test(e.message))
    return { code: "BAD_REQUEST", field: "psArgs", message: `psArgs: ${e.message}` };
  return undefined;
}

/** The static addresses asked for on connect, against the network's subnets (run-spec/subnets.ts). */
async function checkStaticAddresses(docker: Docker, network: string, ips: { ipv4?: string; ipv6?: string }): Promise<void> {
  const n = await named(`network ${network}`, () => docker.getNetwork(network).inspect() as Promise<Docker.NetworkInspectInfo>);
  const existing = { name: n.Name, subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s) };
  for (const field of ["ipv4", "ipv6"] as const) {
    const ip = ips[field];
    const p = ip ? staticAddressProblem(field, ip, existing) : undefined;
    if (p) throw new RuntimeFailure({ code: "BAD_REQUEST", field: p.field, message: p.message });
  }
}

export function containerOpsHandlers(docker: Docker, lookup: ContainerLookup): ContainerOpsHandlers {
  const who = (id: string) => {
    const known = lookup(id);
    return { id: known?.id ?? id, name: known?.name, subject: `container ${known?.name ?? id}` };
  };
  const result = (id: string, changed: boolean): ActionResult => {
    const w = who(id);
    return { id: w.id, ...(w.name ? { name: w.name } : {}), changed };
  };
  /** A plain action where 304 means "already so". */
  const simple = async (id: string, run: (c: Docker.Container) => Promise<unknown>): Promise<ActionResult> => {
    try {
      return result(id, await changedUnlessNotModified(() => run(docker.getContainer(id))));
    } catch (err) {
      throw new RuntimeFailure(toRuntimeError(err, who(id).subject));
    }
  };

  return {
    "containers.inspect": ({ id }) =>
      named(who(id).subject, async () => {
        const container = (await docker.getContainer(id).inspect()) as unknown as ContainerInspectJson;
        // The image may be gone (removed with -f while in use): the container still shows.
        const image = (await docker
          .getImage(container.Image)
          .inspect()
          .catch(() => null)) as unknown as ImageInspectJson | null;
        return { container, image };
      }),

    "containers.top": async ({ id, psArgs }) => {
      try {
        const top = (await docker.getContainer(id).top(psArgs ? { ps_args: psArgs } : {})) as {
          Titles?: string[];
          Processes?: string[][];
        };
        return { titles: top.Titles ?? [], processes: top.Processes ?? [] };
      } catch (err) {
        throw new RuntimeFailure((psArgs && psArgsError(err, psArgs)) || toRuntimeError(err, who(id).subject));
      }
    },

    "containers.diff": ({ id }) =>
      named(who(id).subject, async () => {
        // No changes is `null` from the engine, which docker-modem hands back as the raw body (a Buffer).
        const raw: unknown = await docker.getContainer(id).changes();
        const changes = (Array.isArray(raw) ? raw : []) as { Path: string; Kind: number }[];
        const kinds = ["changed", "added", "deleted"] as const;
        return { changes: changes.map((c) => ({ path: c.Path, kind: kinds[c.Kind] ?? "changed" })) };
      }),

    "containers.kill": ({ id, signal }) => simple(id, (c) => c.kill(signal ? { signal } : {})),
    "containers.pause": ({ id }) => simple(id, (c) => c.pause()),
    "containers.unpause": ({ id }) => simple(id, (c) => c.unpause()),

    "containers.rename": async ({ id, name }) => {
      const before = who(id);
      const newName = name.replace(/^\//, "");
      await named(before.subject, () => docker.getContainer(id).rename({ name: newName }));
      return { id: before.id, name: newName, changed: true, ...(before.name ? { oldName: before.name } : {}) };
    },

    "containers.update": async (input) => {
      const body = updateBody(input);
      if (Object.keys(body).length === 0) {
        throw new RuntimeFailure({ code: "BAD_REQUEST", message: "nothing to update: give at least one limit or a restart policy" });
      }
      const answer = await named(who(input.id).subject, () => docker.getContainer(input.id).update(body));
      const warnings = ((answer as { Warnings?: string[] | null } | undefined)?.Warnings ?? []).filter(Boolean);
      return { ...result(input.id, true), warnings };
    },

    "containers.commit": async ({ id, repository, tag, message, author, changes, pause }) => {
      if (tag && !repository) {
        throw new RuntimeFailure({ code: "BAD_REQUEST", message: "repository: a tag needs a repository", field: "repository" });
      }
      const answer = (await named(who(id).subject, () =>
        docker.getContainer(id).commit({
          ...(repository ? { repo: repository } : {}),
          ...(repository ? { tag: tag || "latest" } : {}),
          ...(message ? { comment: message } : {}),
          ...(author ? { author } : {}),
          // docker-modem repeats array query values, as the CLI sends one `changes` per instruction.
          ...(changes?.length ? { changes } : {}),
          pause,
        }),
      )) as { Id?: string };
      return {
        ...result(id, true),
        imageId: answer.Id ?? "",
        ...(repository ? { reference: `${repository}:${tag || "latest"}` } : {}),
      };
    },

    "containers.recreate": (input) => recreateContainer(docker, input.id, { pull: input.pull }, who(input.id).subject),

    "containers.networkConnect": async ({ id, network, ipv4, ipv6, aliases }) => {
      // A static address must lie in the network's own subnet: refused here naming the field, not in Docker's words.
      if (ipv4 || ipv6) await checkStaticAddresses(docker, network, { ipv4, ipv6 });
      const ipam = ipv4 || ipv6 ? { IPAMConfig: { ...(ipv4 ? { IPv4Address: ipv4 } : {}), ...(ipv6 ? { IPv6Address: ipv6 } : {}) } } : {};
      await named(`${who(id).subject} on network ${network}`, () =>
        docker.getNetwork(network).connect({ Container: id, EndpointConfig: { ...ipam, ...(aliases?.length ? { Aliases: aliases } : {}) } }),
      );
      return { ...result(id, true), network };
    },

    "containers.networkDisconnect": async ({ id, network, force }) => {
      await named(`${who(id).subject} on network ${network}`, () =>
        docker.getNetwork(network).disconnect({ Container: id, Force: force }),
      );
      return { ...result(id, true), network };
    },

    "containers.bulk": async ({ action, ids, timeout, signal, force, volumes }) => {
      // Each id on its own: one failure is reported beside the others, never instead of them.
      const results = await mapLimit(ids, BULK_CONCURRENCY, async (id): Promise<BulkItemResult> => {
        try {
          let r: ActionResult;
          switch (action) {
            case "start":
            case "stop":
            case "restart":
            case "remove":
              r = await containerAction(docker, action, id, { timeout, force, volumes }, lookup);
              break;
            case "kill":
              r = await simple(id, (c) => c.kill(signal ? { signal } : {}));
              break;
            case "pause":
              r = await simple(id, (c) => c.pause());
              break;
            case "unpause":
              r = await simple(id, (c) => c.unpause());
              break;
          }
          return { id: r.id, ...(r.name ? { name: r.name } : {}), ok: true, changed: r.changed };
        } catch (err) {
          const e = toRuntimeError(err, who(id).subject);
          const w = who(id);
          return { id: w.id, ...(w.name ? { name: w.name } : {}), ok: false, error: e.message, code: e.code };
        }
      });
      return { action, results };
    },

    "containers.restartCounts": async ({ ids }) => {
      const out: Record<string, number> = {};
      await mapLimit(ids, 8, async (id) => {
        const info = await docker.getContainer(id).inspect().catch(() => undefined);
        if (info) out[id] = info.RestartCount ?? 0;
      });
      return out;
    },
  };
}

/** The body of POST /containers/{id}/update, with `docker update`'s units. */
export function updateBody(input: In<"containers.update">): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.memory !== undefined) body.Memory = parseBytes(input.memory);
  if (input.memoryReservation !== undefined) body.MemoryReservation = parseBytes(input.memoryReservation);
  if (input.memorySwap !== undefined) body.MemorySwap = parseSwapBytes(input.memorySwap);
  // As the CLI does: raising memory above the current swap limit alone would be refused
  // by the engine ("should be smaller than already set memoryswap"), so -m without
  // --memory-swap sets swap to twice the memory, the engine's own default at create.
  if (input.memory !== undefined && input.memorySwap === undefined && (body.Memory as number) > 0) {
    body.MemorySwap = (body.Memory as number) * 2;
  }
  if (input.cpus !== undefined) body.NanoCpus = cpusToNano(input.cpus);
  if (input.cpuShares !== undefined) body.CpuShares = input.cpuShares;
  if (input.cpusetCpus !== undefined) body.CpusetCpus = input.cpusetCpus;
  if (input.pidsLimit !== undefined) body.PidsLimit = input.pidsLimit;
  if (input.restartPolicy) {
    body.RestartPolicy = {
      Name: input.restartPolicy.name === "no" ? "" : input.restartPolicy.name,
      ...(input.restartPolicy.name === "on-failure" ? { MaximumRetryCount: input.restartPolicy.maximumRetryCount ?? 0 } : {}),
    };
  }
  return body;
}

/** Maps with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
