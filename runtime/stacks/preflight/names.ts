/**
 * Name conflicts: container names the deploy would create held by containers
 * not of this stack, a project of that name that already exists (deploying
 * updates it), a network subnet overlapping one the engine already has, and a
 * static address already used on its network.
 */
import fs from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { cidrsOverlap, cidrText, parseCidr } from "../../run-spec/subnets";
import type { PreflightCheck } from "../protocol";
import { containerName, ENGINE_DEADLINE_MS, type EngineFacts, notChecked, PROJECT_LABEL, reason, within } from "./facts";
import type { Plan } from "./plan";

export interface ExistingNetwork {
  name: string;
  subnets: string[];
  /** Its compose project label. */
  project?: string;
}

/** A planned subnet overlapping a subnet of another network of the engine. Pure. */
export function overlappingSubnets(
  plan: Pick<Plan, "networks" | "stack">,
  existing: ExistingNetwork[],
): { network: string; subnet: string; other: string; otherSubnet: string }[] {
  const out: { network: string; subnet: string; other: string; otherSubnet: string }[] = [];
  for (const net of plan.networks) {
    if (net.external) continue;
    for (const subnet of net.subnets) {
      const mine = parseCidr(subnet.trim());
      if (!mine) continue;
      for (const other of existing) {
        // The stack's own network (same name, or a network of the same project) is kept or recreated, not a conflict.
        if (other.name === net.name || (plan.stack !== undefined && other.project === plan.stack)) continue;
        const hit = other.subnets.find((s) => {
          const theirs = parseCidr(s.trim());
          return theirs !== undefined && cidrsOverlap(mine, theirs);
        });
        if (hit) out.push({ network: net.name, subnet: cidrText(mine), other: other.name, otherSubnet: hit });
      }
    }
  }
  return out;
}

const existingNetworks = (list: Docker.NetworkInspectInfo[]): ExistingNetwork[] =>
  list.map((n) => ({ name: n.Name, project: n.Labels?.[PROJECT_LABEL], subnets: (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])) }));

function containerNameChecks(plan: Plan, containers: Docker.ContainerInfo[]): PreflightCheck[] {
  const byName = new Map(containers.map((c) => [containerName(c), c]));
  const out: PreflightCheck[] = [];
  for (const planned of plan.containers) {
    if (!planned.name) continue;
    const holder = byName.get(planned.name);
    if (!holder) continue;
    if (plan.stack !== undefined && holder.Labels?.[PROJECT_LABEL] === plan.stack) continue; // recreated by the deploy
    const of = holder.Labels?.[PROJECT_LABEL] ? ` (of the compose project ${holder.Labels[PROJECT_LABEL]})` : "";
    out.push({
      id: `name:${planned.name}`,
      title: `Container name ${planned.name} is free`,
      status: "fail",
      message: `a container named ${planned.name} already exists${of}, ${holder.State ?? "created"}, image ${holder.Image}`,
      fix: plan.stack !== undefined ? `remove or rename the container ${planned.name}, or change container_name in the file` : `choose another name, or remove the container ${planned.name}`,
    });
  }
  if (!out.length) {
    const count = plan.containers.filter((c) => c.name).length;
    out.push({ id: "names", title: "Container names are free", status: "pass", message: count ? `no other container uses the ${count === 1 ? "name" : `${count} names`}` : "the engine picks the name" });
  }
  return out;
}

function projectCheck(plan: Plan, containers: Docker.ContainerInfo[], dataDir: string): PreflightCheck[] {
  if (plan.stack === undefined) return [];
  const ours = containers.filter((c) => c.Labels?.[PROJECT_LABEL] === plan.stack);
  const saved = fs.existsSync(path.join(dataDir, "stacks", plan.stack, "compose.yaml"));
  const title = `Stack ${plan.stack}`;
  if (!ours.length && !saved) return [{ id: "project", title, status: "pass", message: "a new stack" }];
  const what = ours.length ? `${ours.length} container${ours.length === 1 ? "" : "s"}` : "its files";
  return [{ id: "project", title, status: "warn", message: `exists (${what}): deploying updates it`, fix: "choose another name to deploy a second copy" }];
}

async function addressChecks(plan: Plan, docker: Docker, stack: string | undefined): Promise<PreflightCheck[]> {
  const byNetwork = new Map<string, Plan["staticAddresses"]>();
  for (const a of plan.staticAddresses) byNetwork.set(a.network, [...(byNetwork.get(a.network) ?? []), a]);
  const out: PreflightCheck[] = [];
  // Two containers of the plan asking for one address.
  for (const [network, list] of byNetwork) {
    list.forEach((a, i) => {
      const first = list.slice(0, i).find((b) => b.ip === a.ip);
      if (first) out.push({ id: `ip:${network}:${a.ip}:twice`, title: `Address ${a.ip} on ${network} is free`, status: "fail", message: `both ${first.container} and ${a.container} ask for ${a.ip}`, fix: "give each container its own ipv4_address" });
    });
  }
  await Promise.all(
    [...byNetwork].map(async ([network, list]) => {
      let info: Docker.NetworkInspectInfo;
      try {
        info = await within(ENGINE_DEADLINE_MS, `network ${network}`, docker.getNetwork(network).inspect());
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return; // created by the deploy: nobody holds its addresses yet
        out.push({ id: `ip:${network}`, title: `Static addresses on ${network} are free`, status: "warn", message: `could not be checked: ${reason(err)}` });
        return;
      }
      const used = Object.values(info.Containers ?? {}).map((c) => ({ name: c.Name, ip: c.IPv4Address?.split("/")[0] }));
      const names = new Map((await within(ENGINE_DEADLINE_MS, `the containers of network ${network}`, docker.listContainers({ all: true, filters: { network: [info.Id] } })).catch(() => [])).map((c) => [containerName(c), c]));
      for (const a of list) {
        const holder = used.find((u) => u.ip === a.ip);
        const holderInfo = holder ? names.get(holder.name) : undefined;
        const sameStack = stack !== undefined && holderInfo?.Labels?.[PROJECT_LABEL] === stack;
        if (holder && !sameStack && holder.name !== a.container) {
          out.push({ id: `ip:${network}:${a.ip}`, title: `Address ${a.ip} on ${network} is free`, status: "fail", message: `container ${holder.name} already uses ${a.ip} on network ${network}`, fix: `choose another ipv4_address, or disconnect ${holder.name} from ${network}` });
        } else {
          out.push({ id: `ip:${network}:${a.ip}`, title: `Address ${a.ip} on ${network} is free`, status: "pass", message: holder ? `held by ${holder.name}, which the deploy recreates` : "free" });
        }
      }
    }),
  );
  return out;
}

export async function nameChecks(plan: Plan, docker: Docker, facts: EngineFacts, dataDir: string): Promise<PreflightCheck[]> {
  const out: PreflightCheck[] = [];
  try {
    const containers = await facts.containers();
    out.push(...containerNameChecks(plan, containers), ...projectCheck(plan, containers, dataDir));
  } catch (err) {
    out.push(notChecked("names", "Container names are free", err));
  }
  if (plan.networks.some((n) => !n.external && n.subnets.length)) {
    try {
      const overlaps = overlappingSubnets(plan, existingNetworks(await facts.networks()));
      for (const o of overlaps) {
        out.push({
          id: `subnet:${o.network}:${o.subnet}`,
          title: `Subnet ${o.subnet} of ${o.network} is free`,
          status: "fail",
          message: `it overlaps ${o.otherSubnet} of the existing network ${o.other}`,
          fix: `choose another subnet for ${o.network}, or remove the network ${o.other}`,
        });
      }
      if (!overlaps.length) out.push({ id: "subnets", title: "Network subnets are free", status: "pass", message: "no other network of the engine overlaps them" });
    } catch (err) {
      out.push(notChecked("subnets", "Network subnets are free", err));
    }
  }
  out.push(...(await addressChecks(plan, docker, plan.stack)));
  return out;
}
