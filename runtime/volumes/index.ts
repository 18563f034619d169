/**
 * The volumes capability: list (sizes from `system df`, asked once per list
 * and waited for at most DF_WAIT_MS, shared by calls that overlap; the
 * containers using each from the container list's mounts), inspect, create
 * (refusing a name that exists: Docker would hand back the existing volume,
 * and with it someone else's ownership), remove.
 */
import type Docker from "dockerode";
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { RuntimeFailure, toRuntimeError, engineCall as engine } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import { volumeMethods, type VolumeResults, type VolumeSummary, type VolumeUser } from "./protocol";

/** How long a list waits for `system df` (it walks every volume's files) before showing sizes as unknown. */
export const DF_WAIT_MS = 4000;

interface Usage {
  size: number;
  refCount: number;
}


const notFound = (name: string) => (e: RuntimeError): RuntimeError | undefined =>
  e.code === "NOT_FOUND" ? { ...e, field: "id", message: `volume "${name}" not found` } : undefined;

function usersOf(infos: readonly Docker.ContainerInfo[]): Map<string, VolumeUser[]> {
  const out = new Map<string, VolumeUser[]>();
  for (const c of infos) {
    const name = (c.Names?.find((x) => x.lastIndexOf("/") === 0) ?? c.Names?.[0] ?? c.Id).replace(/^\//, "");
    for (const m of c.Mounts ?? []) {
      if (m.Type !== "volume" || !m.Name) continue;
      const list = out.get(m.Name) ?? [];
      list.push({ id: c.Id, name, state: c.State ?? "", destination: m.Destination, rw: m.RW });
      out.set(m.Name, list);
    }
  }
  return out;
}

function toSummary(v: Docker.VolumeInspectInfo & { CreatedAt?: string }, users: VolumeUser[], usage: Usage | undefined): VolumeSummary {
  return {
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    created: v.CreatedAt ?? "",
    labels: v.Labels ?? {},
    scope: v.Scope,
    options: v.Options ?? {},
    size: usage?.size ?? -1,
    refCount: usage?.refCount ?? -1,
    containers: users,
    unused: users.length === 0,
  };
}

export function volumesCapability({ docker }: EngineContext): Capability {
  let dfInFlight: Promise<Map<string, Usage> | undefined> | undefined;
  /** Sizes by volume name; undefined when the engine did not answer within DF_WAIT_MS (the request goes on, shared by the next list). */
  const usage = (): Promise<Map<string, Usage> | undefined> => {
    dfInFlight ??= (async () => {
      try {
        // API 1.42+ computes only volumes with `type=volume`; older engines ignore it.
        const df = (await (docker.df as (opts: object) => Promise<unknown>)({ type: "volume", abortSignal: AbortSignal.timeout(60_000) })) as { Volumes?: (Docker.VolumeInspectInfo | null)[] | null };
        const out = new Map<string, Usage>();
        for (const v of df.Volumes ?? []) if (v?.UsageData) out.set(v.Name, { size: v.UsageData.Size, refCount: v.UsageData.RefCount });
        return out;
      } catch {
        return undefined;
      } finally {
        dfInFlight = undefined;
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const wait = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), DF_WAIT_MS)));
    return Promise.race([dfInFlight, wait]).finally(() => clearTimeout(timer));
  };
  const containers = () => engine("containers", () => docker.listContainers({ all: true }));
  const inspect = (name: string) =>
    engine(`volume ${name}`, () => docker.getVolume(name).inspect() as Promise<Docker.VolumeInspectInfo & { CreatedAt?: string }>, notFound(name));
  const one = async (name: string) => {
    const [v, infos, sizes] = await Promise.all([inspect(name), containers(), usage()]);
    return { v, summary: toSummary(v, usersOf(infos).get(v.Name) ?? [], sizes?.get(v.Name)) };
  };

  return defineCapability<typeof volumeMethods, VolumeResults>({
    name: "volumes",
    methods: volumeMethods,
    handlers: {
      "volumes.list": async () => {
        const [vols, infos, sizes] = await Promise.all([engine("volumes", () => docker.listVolumes()), containers(), usage()]);
        const users = usersOf(infos);
        return (vols.Volumes ?? [])
          .map((v) => toSummary(v as Docker.VolumeInspectInfo & { CreatedAt?: string }, users.get(v.Name) ?? [], sizes?.get(v.Name)))
          .sort((a, b) => a.name.localeCompare(b.name));
      },

      "volumes.inspect": async ({ id }) => {
        const { v, summary } = await one(id);
        return { ...summary, ...(v.Status ? { status: v.Status } : {}) };
      },

      "volumes.create": async ({ name, driver, driverOpts, labels }) => {
        if (name) {
          const exists = await docker
            .getVolume(name)
            .inspect()
            .then(() => true, (err: unknown) => (toRuntimeError(err).code === "NOT_FOUND" ? false : Promise.reject(new RuntimeFailure(toRuntimeError(err, `volume ${name}`)))));
          if (exists) throw new RuntimeFailure({ code: "CONFLICT", field: "name", message: `name: a volume named "${name}" already exists` });
        }
        // dockerode answers with a handle on the new volume, not its details: read them back.
        const created = await engine(
          `volume ${name ?? "(anonymous)"}`,
          () => docker.createVolume({ ...(name ? { Name: name } : {}), Driver: driver, DriverOpts: driverOpts, Labels: labels }),
          // The engine's refusal names the driver (not found) or, for the local driver, its options.
          (e) =>
            e.dockerStatus === undefined
              ? undefined
              : /plugin|driver/i.test(e.message)
                ? { ...e, code: e.code === "INTERNAL" || e.code === "NOT_FOUND" ? "BAD_REQUEST" : e.code, field: "driver" }
                : { ...e, field: e.field ?? "driverOpts" },
        );
        const createdName = (created as unknown as { name?: string; Name?: string }).name ?? (created as unknown as { Name?: string }).Name ?? name ?? "";
        return toSummary(await inspect(createdName), [], { size: 0, refCount: 0 });
      },

      "volumes.remove": async ({ id, force }) => {
        const v = await inspect(id);
        try {
          await docker.getVolume(v.Name).remove({ force });
        } catch (err) {
          const e = toRuntimeError(err, `volume ${v.Name}`);
          if (e.code !== "CONFLICT") throw new RuntimeFailure(notFound(v.Name)(e) ?? e);
          // Docker names the containers by id; people know them by name.
          const users = usersOf(await containers().catch(() => [])).get(v.Name) ?? [];
          const who = users.length ? users.map((u) => u.name).join(", ") : e.message;
          throw new RuntimeFailure({ ...e, field: "id", message: `volume "${v.Name}" is in use by ${users.length === 1 ? "container" : "containers"} ${who}: remove ${users.length === 1 ? "it" : "them"} first` });
        }
        return { id: v.Name, name: v.Name };
      },
    },
  });
}
