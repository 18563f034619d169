/**
 * The networks capability: list (with the containers connected, counted from
 * the engine's container list), inspect (each connected container's addresses,
 * MAC and aliases), create (address plan checked against itself and against
 * every existing network's subnets, so an overlap names the other network),
 * remove. Every Docker error goes through toRuntimeError with the network named.
 */
import type Docker from "dockerode";
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { listContainerSummaries } from "../engine/container-summaries";
import { RuntimeFailure, toRuntimeError, engineCall as engine } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import type { ContainerSummary } from "../engine/protocol";
import { type ConnectedContainer, networkMethods, type NetworkResults, type NetworkSummary } from "./protocol";
import { overlapProblem, type ExistingNetwork } from "../run-spec/subnets";

const BUILT_IN = new Set(["bridge", "host", "none"]);

/** Docker's network as Berth shows it; `containers` counted from the container list. */
export function toNetworkSummary(n: Docker.NetworkInspectInfo, containers: readonly ContainerSummary[]): NetworkSummary {
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    created: n.Created,
    internal: !!n.Internal,
    attachable: !!n.Attachable,
    enableIPv6: !!n.EnableIPv6,
    ipam: (n.IPAM?.Config ?? []).map((c) => ({
      ...(c.Subnet ? { subnet: c.Subnet } : {}),
      ...(c.IPRange ? { ipRange: c.IPRange } : {}),
      ...(c.Gateway ? { gateway: c.Gateway } : {}),
      ...(c.AuxiliaryAddresses && Object.keys(c.AuxiliaryAddresses).length ? { auxAddresses: c.AuxiliaryAddresses as Record<string, string> } : {}),
    })),
    labels: n.Labels ?? {},
    options: n.Options ?? {},
    containers: containers.filter((c) => c.networks.some((x) => x.name === n.Name)).length,
    builtIn: BUILT_IN.has(n.Name) && (n.Driver === "bridge" || n.Driver === "host" || n.Driver === "null"),
  };
}

/** Every network's subnets, for overlap checks (here and on connect). */
export function existingNetworks(list: readonly Docker.NetworkInspectInfo[]): ExistingNetwork[] {
  return list.map((n) => ({ name: n.Name, subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s) }));
}

/** The network a reference names, or a NOT_FOUND that names the reference. */
export async function inspectNetwork(docker: Docker, ref: string): Promise<Docker.NetworkInspectInfo> {
  try {
    return (await docker.getNetwork(ref).inspect()) as Docker.NetworkInspectInfo;
  } catch (err) {
    const e = toRuntimeError(err, `network ${ref}`);
    throw new RuntimeFailure(e.code === "NOT_FOUND" ? { ...e, field: "id", message: `network "${ref}" not found` } : e);
  }
}


/** At most this many containers' aliases are read on one inspect (one container inspect each; the list does not carry them). */
const MAX_ALIAS_READS = 100;

/** Each container's aliases on the network, by container id (the engine's container list leaves them out). */
async function aliasesOf(docker: Docker, network: string, infos: readonly Docker.ContainerInfo[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const queue = infos.slice(0, MAX_ALIAS_READS).map((c) => c.Id);
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        const c = await docker.getContainer(id).inspect();
        out.set(id, (c.NetworkSettings?.Networks?.[network] as { Aliases?: string[] | null } | undefined)?.Aliases ?? []);
      } catch {
        // Gone meanwhile: shown without aliases.
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

function connectedOf(n: Docker.NetworkInspectInfo, infos: readonly Docker.ContainerInfo[], aliases: Map<string, string[]>): ConnectedContainer[] {
  const out: ConnectedContainer[] = [];
  for (const c of infos) {
    const ep = c.NetworkSettings?.Networks?.[n.Name] as (Docker.NetworkInfo & { Aliases?: string[] | null; DNSNames?: string[] | null }) | undefined;
    const live = n.Containers?.[c.Id];
    const name = (c.Names?.find((x) => x.lastIndexOf("/") === 0) ?? c.Names?.[0] ?? c.Id).replace(/^\//, "");
    const ipv4 = live?.IPv4Address || (ep?.IPAddress ? `${ep.IPAddress}/${ep.IPPrefixLen}` : undefined);
    const ipv6 = live?.IPv6Address || (ep?.GlobalIPv6Address ? `${ep.GlobalIPv6Address}/${ep.GlobalIPv6PrefixLen}` : undefined);
    const mac = live?.MacAddress || ep?.MacAddress || undefined;
    const ipam = ep?.IPAMConfig as { IPv4Address?: string; IPv6Address?: string } | null | undefined;
    out.push({
      id: c.Id,
      name,
      state: c.State ?? "",
      ...(ipv4 ? { ipv4 } : {}),
      ...(ipv6 ? { ipv6 } : {}),
      ...(mac ? { mac } : {}),
      // Docker adds the short id as an alias of its own; the ones people gave come first.
      aliases: (aliases.get(c.Id) ?? ep?.Aliases ?? []).filter((a: string) => a !== c.Id.slice(0, 12)),
      ...(ipam?.IPv4Address ? { staticIpv4: ipam.IPv4Address } : {}),
      ...(ipam?.IPv6Address ? { staticIpv6: ipam.IPv6Address } : {}),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function networksCapability({ docker }: EngineContext): Capability {
  // Asked of the engine, not the live list: a page refetching on a connect event must see it, and the live list re-reads the container only after that event.
  const containers = () => listContainerSummaries(docker);
  const list = () => engine("networks", () => docker.listNetworks() as Promise<Docker.NetworkInspectInfo[]>);

  return defineCapability<typeof networkMethods, NetworkResults>({
    name: "networks",
    methods: networkMethods,
    handlers: {
      "networks.list": async () => {
        const [nets, all] = await Promise.all([list(), containers()]);
        return nets.map((n) => toNetworkSummary(n, all)).sort((a, b) => a.name.localeCompare(b.name));
      },

      "networks.inspect": async ({ id }) => {
        const n = await inspectNetwork(docker, id);
        const infos = await engine(`network ${n.Name}`, () => docker.listContainers({ all: true, filters: { network: [n.Id] } }));
        const all = await containers();
        return { ...toNetworkSummary(n, all), containersConnected: connectedOf(n, infos, await aliasesOf(docker, n.Name, infos)) };
      },

      "networks.create": async (input) => {
        if (input.driver === "overlay") {
          const info = (await engine("engine", () => docker.info())) as { Swarm?: { LocalNodeState?: string } };
          if (info.Swarm?.LocalNodeState !== "active") {
            throw new RuntimeFailure({ code: "BAD_REQUEST", field: "driver", message: "driver: overlay networks need Swarm, which is not active on this engine (docker swarm init)" });
          }
        }
        const nets = await list();
        const same = nets.find((n) => n.Name === input.name);
        if (same) throw new RuntimeFailure({ code: "CONFLICT", field: "name", message: `name: a network named "${input.name}" already exists (${same.Id.slice(0, 12)})` });
        const overlap = overlapProblem(input.ipam, existingNetworks(nets));
        if (overlap) throw new RuntimeFailure({ code: "BAD_REQUEST", field: overlap.field, message: overlap.message });
        const created = await engine(
          `network ${input.name}`,
          () =>
            docker.createNetwork({
              Name: input.name,
              Driver: input.driver,
              CheckDuplicate: true,
              EnableIPv6: input.enableIPv6,
              Internal: input.internal,
              Attachable: input.attachable,
              Labels: input.labels,
              Options: input.options,
              IPAM: {
                Driver: "default",
                Config: input.ipam.map((c) => ({
                  Subnet: c.subnet.trim(),
                  ...(c.ipRange?.trim() ? { IPRange: c.ipRange.trim() } : {}),
                  ...(c.gateway?.trim() ? { Gateway: c.gateway.trim() } : {}),
                  ...(c.auxAddresses && Object.keys(c.auxAddresses).length ? { AuxiliaryAddresses: c.auxAddresses } : {}),
                })),
              },
            }),
          (e) => createErrorField(e, input.driver),
        );
        const id = created.id;
        const warning = (created as unknown as { Warning?: string }).Warning;
        return { id, name: input.name, ...(warning ? { warning } : {}) };
      },

      "networks.remove": async ({ id }) => {
        const n = await inspectNetwork(docker, id);
        if (BUILT_IN.has(n.Name) && (n.Driver === "bridge" || n.Driver === "host" || n.Driver === "null")) {
          throw new RuntimeFailure({ code: "BAD_REQUEST", field: "id", message: `network "${n.Name}" is one of Docker's own networks and cannot be removed` });
        }
        await engine(`network ${n.Name}`, () => docker.getNetwork(n.Id).remove(), (e) =>
          // Docker answers 403 for a network that still has containers connected.
          e.dockerStatus === 403 ? { ...e, code: "CONFLICT", field: "id" } : undefined,
        );
        return { id: n.Id, name: n.Name };
      },
    },
  });
}

/** Which field an engine refusal of a create is about, by its words (first match wins). */
const CREATE_FIELDS: [RegExp, string][] = [
  [/already exists/i, "name"],
  [/ipv6/i, "enableIPv6"],
  [/gateway/i, "ipam[0].gateway"],
  [/ip ?range/i, "ipam[0].ipRange"],
  [/subnet|pool|overlap|address/i, "ipam[0].subnet"],
  [/plugin|driver/i, "driver"],
  [/option/i, "options"],
];

/** The engine's refusal of a create, with the field it is about when its words say (then a bad request, not the engine's fault). */
function createErrorField(e: RuntimeError, driver: string): RuntimeError | undefined {
  if (e.dockerStatus === undefined) return undefined;
  const field = CREATE_FIELDS.find(([re]) => re.test(e.message))?.[1];
  // Any other refusal is the driver's, about these settings on this host (macvlan without a usable parent: "operation not supported").
  if (!field && e.dockerStatus >= 500) {
    const hint = driver === "macvlan" || driver === "ipvlan" ? ` (${driver} needs a parent interface this host has: driver option parent=<interface>)` : "";
    return { ...e, code: "BAD_REQUEST", field: "driver", message: `${e.message}: the ${driver} driver refused these settings on this engine's host${hint}` };
  }
  if (!field) return undefined;
  return { ...e, code: e.dockerStatus === 409 || field === "name" ? "CONFLICT" : "BAD_REQUEST", field };
}
