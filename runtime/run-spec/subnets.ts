/**
 * The arithmetic of a network's address plan, without dockerode or Node's
 * `net`: the runtime checks a create (and a static IP on connect) with it, and
 * the create form in app/ checks the same way before sending. Every problem
 * names its field as the form and the protocol name it (`ipam[0].gateway`).
 */
import { parseIp } from "./ip";
import { fieldPath } from "../protocol/zod-issues";

export interface Cidr {
  version: 4 | 6;
  /** The network address (host bits zero). */
  base: bigint;
  prefix: number;
  bits: 32 | 128;
}

/** `10.231.8.0/24` → its parts; undefined when it is not an address with a prefix length. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const shift = BigInt(bits - prefix);
  return { version: ip.version, base: (ip.value >> shift) << shift, prefix, bits };
}

function v4Text(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join(".");
}

function v6Text(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((v >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // The longest run of zero groups becomes "::".
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
}

/** The CIDR as Docker writes it (host bits cleared). */
export function cidrText(c: Cidr): string {
  return `${c.version === 4 ? v4Text(c.base) : v6Text(c.base)}/${c.prefix}`;
}

function contains(net: Cidr, version: 4 | 6, value: bigint): boolean {
  if (net.version !== version) return false;
  const shift = BigInt(net.bits - net.prefix);
  return value >> shift === net.base >> shift;
}

/** Whether two subnets share any address (one holds the other, or they are equal). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  const shorter = a.prefix <= b.prefix ? a : b;
  const longer = shorter === a ? b : a;
  return contains(shorter, longer.version, longer.base);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.version === outer.version && inner.prefix >= outer.prefix && contains(outer, inner.version, inner.base);
}

/** Whether the address lies inside the subnet (false for malformed input or another family). */
export function addressIn(ip: string, subnet: Cidr): boolean {
  const a = parseIp(ip);
  return !!a && contains(subnet, a.version, a.value);
}

export interface IpamInput {
  subnet: string;
  ipRange?: string;
  gateway?: string;
  auxAddresses?: Record<string, string>;
}

export interface AddressProblem {
  /** The field as the protocol names it: `ipam[0].gateway`, `ipam[1].auxAddresses.host1`. */
  field: string;
  path: (string | number)[];
  /** The problem without the field. */
  problem: string;
  /** `field: problem`. */
  message: string;
}

const problem = (path: (string | number)[] | string, what: string): AddressProblem => {
  const p = typeof path === "string" ? [path] : path;
  const field = fieldPath(p);
  return { field, path: p, problem: what, message: `${field}: ${what}` };
};

/**
 * What is wrong with a network's address plan on its own: CIDRs that are not
 * CIDRs, a gateway, IP range or auxiliary address outside its subnet, two
 * subnets of the plan overlapping, an IPv6 subnet without IPv6 enabled.
 */
export function ipamProblems(ipam: readonly IpamInput[], enableIPv6: boolean): AddressProblem[] {
  const out: AddressProblem[] = [];
  const subnets: (Cidr | undefined)[] = [];
  ipam.forEach((cfg, i) => {
    const at = (...rest: string[]) => ["ipam", i, ...rest];
    const subnet = parseCidr(cfg.subnet.trim());
    subnets.push(subnet);
    if (!subnet) {
      out.push(problem(at("subnet"), `"${cfg.subnet}" is not a subnet in CIDR notation, e.g. 10.231.8.0/24 or fd00:8::/64`));
      return;
    }
    const canonical = cidrText(subnet);
    if (parseIp(cfg.subnet.trim().split("/")[0]!)?.value !== subnet.base) {
      out.push(problem(at("subnet"), `"${cfg.subnet}" has host bits set: the subnet is ${canonical}`));
    }
    if (subnet.version === 6 && !enableIPv6) out.push(problem(at("subnet"), `${canonical} is an IPv6 subnet: enable IPv6 to use it`));
    const room = subnet.bits - subnet.prefix;
    if (subnet.version === 4 && room < 2) out.push(problem(at("subnet"), `${canonical} leaves no room for containers: use a prefix of /30 or shorter`));
    if (cfg.ipRange?.trim()) {
      const range = parseCidr(cfg.ipRange.trim());
      if (!range) out.push(problem(at("ipRange"), `"${cfg.ipRange}" is not a range in CIDR notation, e.g. 10.231.8.128/25`));
      else if (!cidrWithin(range, subnet)) out.push(problem(at("ipRange"), `${cidrText(range)} is outside the subnet ${canonical}`));
    }
    if (cfg.gateway?.trim()) {
      const gw = parseIp(cfg.gateway.trim());
      if (!gw || cfg.gateway.includes("/")) out.push(problem(at("gateway"), `"${cfg.gateway}" is not an IP address`));
      else if (!contains(subnet, gw.version, gw.value)) out.push(problem(at("gateway"), `${cfg.gateway.trim()} is outside the subnet ${canonical}`));
      else if (gw.value === subnet.base && subnet.version === 4) out.push(problem(at("gateway"), `${cfg.gateway.trim()} is the subnet's network address`));
    }
    for (const [name, addr] of Object.entries(cfg.auxAddresses ?? {})) {
      const field = at("auxAddresses", name);
      if (!parseIp(addr) || addr.includes("/")) out.push(problem(field, `"${addr}" is not an IP address`));
      else if (!addressIn(addr, subnet)) out.push(problem(field, `${addr} is outside the subnet ${canonical}`));
    }
  });
  for (let i = 0; i < subnets.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = subnets[i];
      const b = subnets[j];
      if (a && b && cidrsOverlap(a, b)) out.push(problem(["ipam", i, "subnet"], `${cidrText(a)} overlaps ipam[${j}].subnet ${cidrText(b)}`));
    }
  }
  return out;
}

/** A network that exists, with the subnets of its address plan. */
export interface ExistingNetwork {
  name: string;
  subnets: readonly string[];
}

/** The first subnet of the plan that overlaps another network's, naming that network. */
export function overlapProblem(ipam: readonly IpamInput[], existing: readonly ExistingNetwork[]): AddressProblem | undefined {
  for (const [i, cfg] of ipam.entries()) {
    const mine = parseCidr(cfg.subnet.trim());
    if (!mine) continue;
    for (const net of existing) {
      for (const s of net.subnets) {
        const theirs = parseCidr(s);
        if (theirs && cidrsOverlap(mine, theirs)) {
          return problem(["ipam", i, "subnet"], `${cidrText(mine)} overlaps the subnet ${cidrText(theirs)} of network "${net.name}"`);
        }
      }
    }
  }
  return undefined;
}

/**
 * A static address asked for on connect: it must be of the field's family and
 * inside one of the network's subnets of that family; a network without a
 * configured subnet of that family cannot take one (Docker refuses it too).
 */
export function staticAddressProblem(field: "ipv4" | "ipv6", ip: string, network: ExistingNetwork): AddressProblem | undefined {
  const addr = parseIp(ip);
  const version = field === "ipv4" ? 4 : 6;
  if (!addr || ip.includes("/") || addr.version !== version) return problem(field, `"${ip}" is not an IPv${version} address`);
  const ours = network.subnets.map((s) => parseCidr(s)).filter((c): c is Cidr => c?.version === version);
  if (!ours.length) return problem(field, `network "${network.name}" has no IPv${version} subnet of its own: a static address needs one (create the network with a subnet)`);
  if (!ours.some((c) => contains(c, version, addr.value))) {
    return problem(field, `${ip} is outside the subnet${ours.length > 1 ? "s" : ""} of network "${network.name}" (${ours.map(cidrText).join(", ")})`);
  }
  return undefined;
}
