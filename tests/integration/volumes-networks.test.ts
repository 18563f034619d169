/**
 * Volumes and networks through the runtime client against the private engine,
 * with the engine itself (dockerode's inspect) as the oracle: the notes'
 * network 10.231.8.0/24 with gateway 10.231.8.1 and two containers on static
 * IPs .11 and .12; an overlapping subnet, a gateway outside and an address
 * outside refused naming the field; a volume with labels and driver options,
 * Unused until a container mounts it, then removed.
 */
import { execFileSync } from "node:child_process";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { parseCidr, cidrsOverlap } from "../../runtime/run-spec/subnets";
import { docker as cli, dockerQuiet as quiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-vn-${process.pid}`;
const n = (s: string) => `${prefix}-${s}`;
const engine = new Docker();

let runtime: StartedRuntime;
let client: RuntimeClient;
/** The /24 the test uses: the 10.231.8.0/24 unless this engine or this host already has it. */
let third = 8;

/** Subnets taken on the host (other engines' bridges) and on this engine (its bridge, its networks). */
function takenSubnets(): string[] {
  const host = execFileSync("ip", ["-o", "-4", "addr", "show"], { encoding: "utf8" })
    .split("\n")
    .map((l) => /inet (\S+)/.exec(l)?.[1])
    .filter((s): s is string => !!s);
  const ours = cli("network", "ls", "-q")
    .split("\n")
    .filter(Boolean)
    .flatMap((id) => cli("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", id).split(" ").filter(Boolean));
  return [...host, ...ours, process.env.BERTH_TEST_SUBNET ?? ""].filter(Boolean);
}

function pickSubnet(): number {
  const taken = takenSubnets().map((s) => parseCidr(s)).filter((c) => !!c);
  const free = (k: number) => !taken.some((t) => cidrsOverlap(t, parseCidr(`10.231.${k}.0/24`)!));
  // The issue's own values first; else a /24 outside the harness's bridges (1-30) and pool (128-255).
  return [8, ...Array.from({ length: 90 }, (_, i) => 31 + i)].find(free) ?? 8;
}

const subnet = () => `10.231.${third}.0/24`;
const ip = (last: number) => `10.231.${third}.${last}`;

beforeAll(async () => {
  third = pickSubnet();
  runtime = await startRuntime("vn");
  client = runtime.client;
});

afterAll(async () => {
  try {
    const ours = cli("ps", "-aq", "--filter", `name=${prefix}`).split("\n").filter(Boolean);
    if (ours.length) quiet("rm", "-f", ...ours);
    for (const net of ["net", "other", "gw"]) quiet("network", "rm", n(net));
    for (const vol of ["data", "anon"]) quiet("volume", "rm", "-f", n(vol));
  } finally {
    await runtime?.stop();
  }
});

describe("networks", () => {
  let netId = "";

  it("creates the notes' network with a subnet and gateway, and lists it", async () => {
    const r = await client.call("networks.create", { name: n("net"), ipam: [{ subnet: subnet(), gateway: ip(1) }], labels: { team: "notes" }, attachable: true });
    netId = r.id;
    const real = await engine.getNetwork(r.id).inspect();
    expect(real.Name).toBe(n("net"));
    expect(real.IPAM?.Config?.[0]).toMatchObject({ Subnet: subnet(), Gateway: ip(1) });
    expect(real.Labels).toEqual({ team: "notes" });
    expect(real.Attachable).toBe(true);
    const listed = (await client.call("networks.list", {})).find((x) => x.id === r.id);
    expect(listed).toMatchObject({ name: n("net"), driver: "bridge", scope: "local", internal: false, attachable: true, containers: 0, builtIn: false });
    expect(listed?.ipam).toEqual([{ subnet: subnet(), gateway: ip(1) }]);
    expect((await client.call("networks.list", {})).find((x) => x.name === "bridge")?.builtIn).toBe(true);
  });

  it("connects two containers with static IPs; docker inspect shows them", async () => {
    for (const [name, last] of [["a", 11], ["b", 12]] as const) {
      cli("create", "--name", n(name), "busybox", "sleep", "300");
      await client.call("containers.networkConnect", { id: n(name), network: n("net"), ipv4: ip(last), aliases: [`${name}-alias`] });
      cli("start", n(name));
      const real = await engine.getContainer(n(name)).inspect();
      const ep = real.NetworkSettings.Networks[n("net")]!;
      expect(ep.IPAddress).toBe(ip(last));
      expect(ep.IPAMConfig?.IPv4Address).toBe(ip(last));
      expect(ep.Aliases).toContain(`${name}-alias`);
    }
    // The two reach each other on those addresses.
    expect(cli("exec", n("a"), "ping", "-c", "1", "-W", "2", ip(12))).toContain("1 packets received");

    const detail = await client.call("networks.inspect", { id: n("net") });
    expect(detail.id).toBe(netId);
    const byName = Object.fromEntries(detail.containersConnected.map((c) => [c.name, c]));
    expect(byName[n("a")]).toMatchObject({ ipv4: `${ip(11)}/24`, staticIpv4: ip(11), aliases: expect.arrayContaining(["a-alias"]) });
    expect(byName[n("b")]?.ipv4).toBe(`${ip(12)}/24`);
    expect(byName[n("b")]?.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    // The live list catches up with the connects through the engine's events.
    await expect.poll(async () => (await client.call("networks.list", {})).find((x) => x.id === netId)?.containers, { timeout: 5000 }).toBe(2);
  });

  it("refuses an address outside the subnet on connect, naming ipv4", async () => {
    cli("create", "--name", n("c"), "busybox", "sleep", "300");
    const err = await callError(client.call("containers.networkConnect", { id: n("c"), network: n("net"), ipv4: "10.99.0.5" }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "ipv4" });
    expect(err.message).toContain(`outside the subnet of network "${n("net")}" (${subnet()})`);
    const real = await engine.getContainer(n("c")).inspect();
    expect(Object.keys(real.NetworkSettings.Networks)).not.toContain(n("net"));
    // A static address on a network without a subnet of its own is refused the same way.
    const plain = await callError(client.call("containers.networkConnect", { id: n("c"), network: "bridge", ipv4: "10.231.250.5" }));
    expect(plain.field).toBe("ipv4");
  });

  it("refuses an overlapping subnet naming the field and the other network", async () => {
    const err = await callError(client.call("networks.create", { name: n("other"), ipam: [{ subnet: `10.231.${third}.128/25` }] }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "ipam[0].subnet" });
    expect(err.message).toContain(`network "${n("net")}"`);
    expect(cli("network", "ls", "-q", "--filter", `name=${n("other")}`)).toBe("");
    // The engine's own bridge is another network too.
    const bridge = await callError(client.call("networks.create", { name: n("other"), ipam: [{ subnet: process.env.BERTH_TEST_SUBNET! }] }));
    expect(bridge.message).toContain('network "bridge"');
  });

  it("refuses a gateway outside the subnet, naming gateway, before the engine is asked", async () => {
    const err = await callError(client.call("networks.create", { name: n("gw"), ipam: [{ subnet: "10.231.121.0/24", gateway: "10.231.122.1" }] }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "ipam[0].gateway" });
    expect(cli("network", "ls", "-q", "--filter", `name=${n("gw")}`)).toBe("");
    const dup = await callError(client.call("networks.create", { name: n("net") }));
    expect(dup).toMatchObject({ code: "CONFLICT", field: "name" });
  });

  it("a driver the host cannot serve (macvlan with options its parent cannot take) is a bad request on driver, in the engine's words", async () => {
    const err = await callError(client.call("networks.create", { name: n("mac"), driver: "macvlan", options: { parent: "berth-no-such-if0" } }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(["driver", "options"]).toContain(err.field);
    expect(cli("network", "ls", "-q", "--filter", `name=${n("mac")}`)).toBe("");
    const bare = await callError(client.call("networks.create", { name: n("ipv"), driver: "ipvlan", options: { J: "z" } }));
    expect(bare.code).toBe("BAD_REQUEST");
    expect(cli("network", "ls", "-q", "--filter", `name=${n("ipv")}`)).toBe("");
  });

  it("removes a network only once its containers are gone", async () => {
    const busy = await callError(client.call("networks.remove", { id: n("net") }));
    expect(busy.code).toBe("CONFLICT");
    const own = await callError(client.call("networks.remove", { id: "bridge" }));
    expect(own).toMatchObject({ code: "BAD_REQUEST", field: "id" });
    quiet("rm", "-f", n("a"), n("b"));
    await expect(client.call("networks.remove", { id: n("net") })).resolves.toEqual({ id: netId, name: n("net") });
    expect(await callError(client.call("networks.inspect", { id: n("net") }))).toMatchObject({ code: "NOT_FOUND", field: "id" });
  });
});

describe("volumes", () => {
  it("creates a volume with labels and driver options; the list shows it Unused", async () => {
    const r = await client.call("volumes.create", { name: n("data"), labels: { purpose: "notes" }, driverOpts: { type: "tmpfs", device: "tmpfs", o: "size=8m" } });
    expect(r).toMatchObject({ name: n("data"), driver: "local", unused: true });
    const real = await engine.getVolume(n("data")).inspect();
    expect(real.Labels).toEqual({ purpose: "notes" });
    expect(real.Options).toEqual({ type: "tmpfs", device: "tmpfs", o: "size=8m" });
    const listed = (await client.call("volumes.list", {})).find((v) => v.name === n("data"));
    expect(listed).toMatchObject({ driver: "local", unused: true, containers: [], labels: { purpose: "notes" } });
    expect(listed?.mountpoint).toContain(n("data"));
    expect(typeof listed?.size).toBe("number");
    const again = await callError(client.call("volumes.create", { name: n("data") }));
    expect(again).toMatchObject({ code: "CONFLICT", field: "name" });
  });

  it("is used once a container mounts it, and cannot be removed then", async () => {
    cli("run", "-d", "--name", n("user"), "-v", `${n("data")}:/data`, "busybox", "sh", "-c", "echo hi > /data/f && sleep 300");
    const v = (await client.call("volumes.list", {})).find((x) => x.name === n("data"));
    expect(v?.unused).toBe(false);
    expect(v?.containers).toEqual([expect.objectContaining({ name: n("user"), destination: "/data", rw: true })]);
    const detail = await client.call("volumes.inspect", { id: n("data") });
    expect(detail.containers.map((c) => c.name)).toEqual([n("user")]);
    const busy = await callError(client.call("volumes.remove", { id: n("data") }));
    expect(busy).toMatchObject({ code: "CONFLICT", field: "id" });
    expect(busy.message).toContain(n("user"));
  });

  it("removes it once the container is gone", async () => {
    quiet("rm", "-f", n("user"));
    await expect(client.call("volumes.remove", { id: n("data") })).resolves.toEqual({ id: n("data"), name: n("data") });
    expect(await callError(client.call("volumes.inspect", { id: n("data") }))).toMatchObject({ code: "NOT_FOUND", field: "id" });
    expect((await client.call("volumes.list", {})).some((v) => v.name === n("data"))).toBe(false);
  });

  it("refuses names Docker would refuse, naming the field", async () => {
    for (const bad of ["x", "-lead", "a/b", "../up", "a\u0000b"]) {
      const err = await callError(client.call("volumes.create", { name: bad }));
      expect(err, bad).toMatchObject({ code: "BAD_REQUEST", field: "name" });
    }
    const drv = await callError(client.call("volumes.create", { name: n("anon"), driver: "no-such-driver" }));
    expect(drv.field).toBe("driver");
  });
});
