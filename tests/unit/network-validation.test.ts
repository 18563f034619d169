/**
 * A network's address plan: subnets, gateways, IP ranges and auxiliary
 * addresses each checked against their subnet, overlaps with other networks
 * naming the other network, static addresses on connect; every problem names
 * its field, through the create schema as well.
 */
import { describe, expect, it } from "vitest";
import { networkCreateSchema } from "../../runtime/networks/protocol";
import { cidrsOverlap, cidrText, ipamProblems, overlapProblem, parseCidr, staticAddressProblem } from "../../runtime/run-spec/subnets";
import { describeIssues, firstIssue } from "../../runtime/protocol/zod-issues";

const fields = (ipam: Parameters<typeof ipamProblems>[0], v6 = false) => ipamProblems(ipam, v6).map((p) => p.field);

describe("CIDR arithmetic", () => {
  it("parses IPv4 and IPv6 subnets and clears host bits", () => {
    expect(cidrText(parseCidr("10.231.8.0/24")!)).toBe("10.231.8.0/24");
    expect(cidrText(parseCidr("10.231.8.77/24")!)).toBe("10.231.8.0/24");
    expect(cidrText(parseCidr("fd00:8:0:0::/64")!)).toBe("fd00:8::/64");
    expect(cidrText(parseCidr("::/0")!)).toBe("::/0");
    for (const bad of ["10.231.8.0", "10.231.8.0/33", "10.231.256.0/24", "10.231.8.0/x", "/24", "fd00::/129", "010.1.1.0/24", ""]) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it("overlap: equal, nested either way, adjacent not, families apart", () => {
    const c = (s: string) => parseCidr(s)!;
    expect(cidrsOverlap(c("10.231.8.0/24"), c("10.231.8.0/24"))).toBe(true);
    expect(cidrsOverlap(c("10.231.0.0/16"), c("10.231.8.0/24"))).toBe(true);
    expect(cidrsOverlap(c("10.231.8.128/25"), c("10.231.8.0/24"))).toBe(true);
    expect(cidrsOverlap(c("10.231.8.0/24"), c("10.231.9.0/24"))).toBe(false);
    expect(cidrsOverlap(c("10.231.8.0/25"), c("10.231.8.128/25"))).toBe(false);
    expect(cidrsOverlap(c("fd00:8::/64"), c("fd00:8::/48"))).toBe(true);
    expect(cidrsOverlap(c("fd00:9::/64"), c("fd00:8::/64"))).toBe(false);
  });
});

describe("ipamProblems", () => {
  it("accepts a plain plan: subnet, gateway, range and aux addresses inside", () => {
    expect(ipamProblems([{ subnet: "10.231.8.0/24", gateway: "10.231.8.1", ipRange: "10.231.8.128/25", auxAddresses: { router: "10.231.8.2" } }], false)).toEqual([]);
    expect(ipamProblems([{ subnet: "10.231.8.0/24" }, { subnet: "fd00:8::/64", gateway: "fd00:8::1" }], true)).toEqual([]);
  });

  it("names the field of each problem", () => {
    expect(fields([{ subnet: "10.231.8.0/33" }])).toEqual(["ipam[0].subnet"]);
    expect(fields([{ subnet: "10.231.8.5/24" }])).toEqual(["ipam[0].subnet"]);
    expect(fields([{ subnet: "10.231.8.0/24", gateway: "10.231.9.1" }])).toEqual(["ipam[0].gateway"]);
    expect(fields([{ subnet: "10.231.8.0/24", gateway: "10.231.8.0" }])).toEqual(["ipam[0].gateway"]);
    expect(fields([{ subnet: "10.231.8.0/24", gateway: "nope" }])).toEqual(["ipam[0].gateway"]);
    expect(fields([{ subnet: "10.231.8.0/24", ipRange: "10.231.9.0/25" }])).toEqual(["ipam[0].ipRange"]);
    expect(fields([{ subnet: "10.231.8.0/24", ipRange: "10.231.0.0/16" }])).toEqual(["ipam[0].ipRange"]);
    expect(fields([{ subnet: "10.231.8.0/24", auxAddresses: { host1: "10.231.7.2", "my.host": "10.231.8.3" } }])).toEqual(["ipam[0].auxAddresses.host1"]);
    expect(fields([{ subnet: "10.231.8.0/24", auxAddresses: { "my.host": "10.231.99.3" } }])).toEqual(['ipam[0].auxAddresses["my.host"]']);
    expect(fields([{ subnet: "fd00:8::/64" }], false)).toEqual(["ipam[0].subnet"]);
    expect(fields([{ subnet: "10.231.8.0/24" }, { subnet: "10.231.8.0/25" }])).toEqual(["ipam[1].subnet"]);
    expect(fields([{ subnet: "10.231.8.0/24", gateway: "fd00::1" }])).toEqual(["ipam[0].gateway"]);
  });

  it("says what is wrong in words, with the subnet", () => {
    const [p] = ipamProblems([{ subnet: "10.231.8.0/24", gateway: "10.231.9.1" }], false);
    expect(p!.message).toBe("ipam[0].gateway: 10.231.9.1 is outside the subnet 10.231.8.0/24");
    const [h] = ipamProblems([{ subnet: "10.231.8.5/24" }], false);
    expect(h!.message).toContain("the subnet is 10.231.8.0/24");
  });
});

describe("overlapProblem", () => {
  const existing = [
    { name: "bridge", subnets: ["10.231.3.0/24"] },
    { name: "host", subnets: [] },
    { name: "team-net", subnets: ["10.231.8.0/24", "fd00:8::/64"] },
  ];
  it("names the other network and both subnets", () => {
    const p = overlapProblem([{ subnet: "10.231.8.128/25" }], existing);
    expect(p?.field).toBe("ipam[0].subnet");
    expect(p?.message).toBe('ipam[0].subnet: 10.231.8.128/25 overlaps the subnet 10.231.8.0/24 of network "team-net"');
    expect(overlapProblem([{ subnet: "10.231.9.0/24" }, { subnet: "10.231.0.0/16" }], existing)?.field).toBe("ipam[1].subnet");
    expect(overlapProblem([{ subnet: "10.231.0.0/16" }], existing)?.message).toContain('"bridge"');
  });
  it("passes a subnet no network holds", () => {
    expect(overlapProblem([{ subnet: "10.231.9.0/24" }, { subnet: "fd00:9::/64" }], existing)).toBeUndefined();
  });
});

describe("staticAddressProblem (connect with --ip)", () => {
  const net = { name: "team-net", subnets: ["10.231.8.0/24", "fd00:8::/64"] };
  it("accepts an address inside the network's subnet", () => {
    expect(staticAddressProblem("ipv4", "10.231.8.11", net)).toBeUndefined();
    expect(staticAddressProblem("ipv6", "fd00:8::11", net)).toBeUndefined();
  });
  it("refuses one outside, of the other family, or on a network without a subnet", () => {
    expect(staticAddressProblem("ipv4", "10.231.9.11", net)?.message).toBe('ipv4: 10.231.9.11 is outside the subnet of network "team-net" (10.231.8.0/24)');
    expect(staticAddressProblem("ipv4", "fd00:8::11", net)?.field).toBe("ipv4");
    expect(staticAddressProblem("ipv6", "10.231.8.11", net)?.field).toBe("ipv6");
    expect(staticAddressProblem("ipv4", "10.231.8.300", net)?.field).toBe("ipv4");
    expect(staticAddressProblem("ipv4", "10.231.8.0/24", net)?.field).toBe("ipv4");
    expect(staticAddressProblem("ipv4", "10.0.0.5", { name: "plain", subnets: [] })?.message).toContain("no IPv4 subnet of its own");
  });
});

describe("the create schema names the field", () => {
  it("a gateway outside the subnet", () => {
    const r = networkCreateSchema.safeParse({ name: "n1", ipam: [{ subnet: "10.231.8.0/24", gateway: "10.231.9.1" }] });
    expect(r.success).toBe(false);
    expect(firstIssue(r.error!).field).toBe("ipam[0].gateway");
    expect(describeIssues(r.error!)).toBe("ipam[0].gateway: 10.231.9.1 is outside the subnet 10.231.8.0/24");
  });
  it("a bad name, driver, label key; a good plan passes with defaults", () => {
    expect(firstIssue(networkCreateSchema.safeParse({ name: "-x" }).error!).field).toBe("name");
    expect(firstIssue(networkCreateSchema.safeParse({ name: "x", driver: "weird" }).error!).field).toBe("driver");
    expect(firstIssue(networkCreateSchema.safeParse({ name: "x", labels: { "a\u0000b": "v" } }).error!).field).toContain("labels");
    expect(networkCreateSchema.parse({ name: "x", ipam: [{ subnet: "10.231.8.0/24", gateway: "10.231.8.1" }] })).toMatchObject({ driver: "bridge", internal: false, attachable: false, enableIPv6: false });
  });
});
