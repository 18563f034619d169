import { describe, expect, test } from "vitest";
import { ipInSubnet, validateRunSpec, type RunSpec } from "../../runtime/run-spec";

const errorsOf = (spec: Partial<RunSpec> & Record<string, unknown>) => {
  const r = validateRunSpec({ image: "nginx", ...spec });
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe("validateRunSpec: messages name the field", () => {
  test("a valid spec comes back parsed", () => {
    const spec: RunSpec = { image: "nginx", name: "web", ports: [{ hostPort: 8080, containerPort: 80 }], memory: "512m", restart: "always" };
    expect(validateRunSpec(spec)).toEqual({ ok: true, spec });
  });

  test("ports outside 1–65535, bad protocol, bad host IP, bad ranges", () => {
    expect(
      errorsOf({
        ports: [
          { hostPort: 70000, containerPort: 80 },
          { containerPort: 0 },
          { containerPort: 53, protocol: "icmp" as never },
          { hostIp: "300.1.1.1", hostPort: 81, containerPort: 81 },
          { hostPort: 9000, hostPortEnd: 9001, containerPort: 90, containerPortEnd: 92 },
        ],
      }),
    ).toEqual([
      "ports[0].hostPort: must be between 1 and 65535 (or 0 for any free port)",
      "ports[1].containerPort: must be between 1 and 65535",
      "ports[2].protocol: must be tcp, udp or sctp",
      'ports[3].hostIp: "300.1.1.1" is not an IP address',
      "ports[4].hostPortEnd: the host range must be as long as the container range",
    ]);
  });

  test("a host port published twice", () => {
    expect(
      errorsOf({
        ports: [
          { hostPort: 8080, containerPort: 80 },
          { hostIp: "127.0.0.1", hostPort: 8080, containerPort: 81 },
          { hostPort: 8080, containerPort: 82, protocol: "udp" },
          { hostIp: "127.0.0.1", hostPort: 9000, containerPort: 90 },
          { hostIp: "127.0.0.2", hostPort: 9000, containerPort: 91 },
          { hostPort: 7999, hostPortEnd: 8000, containerPort: 70, containerPortEnd: 71 },
        ],
      }),
    ).toEqual(["ports[1].hostPort: host port 8080/tcp is already published by ports[0]"]);
  });

  test("sizes, durations and numbers", () => {
    expect(errorsOf({ memory: "12x", shmSize: "64q", memorySwap: "lots", cpus: 0, pidsLimit: -5, healthcheck: { interval: "30" } })).toEqual([
      'memory: invalid size "12x": use bytes or a number with a unit b, k, m, g (e.g. 512m)',
      "memorySwap: invalid size \"lots\": use a size like 1g, or -1 for unlimited swap",
      "cpus: must be more than 0",
      "pidsLimit: must be -1 (unlimited) or more",
      'shmSize: invalid size "64q": use bytes or a number with a unit b, k, m, g (e.g. 512m)',
      'healthcheck.interval: invalid duration "30": use a number with a unit ms, s, m or h (e.g. 30s)',
    ]);
    expect(errorsOf({ memory: "4m" })).toEqual(["memory: Docker's minimum memory limit is 6m"]);
    expect(errorsOf({ memory: "512m", memoryReservation: "1g", memorySwap: "256m" })).toEqual([
      "memoryReservation: must not be more than memory",
      "memorySwap: is memory plus swap: it must be at least memory",
    ]);
    expect(errorsOf({ memorySwap: "1g" })).toEqual(["memorySwap: needs a memory limit too (memory)"]);
    expect(errorsOf({ cpus: 0.0000000001 })).toEqual(["cpus: is too precise (at most 9 decimals)"]);
    expect(errorsOf({ memory: "512m", memorySwap: "-1", cpus: 1.5, healthcheck: { interval: "1m30s", startPeriod: "500ms" } })).toEqual([]);
  });

  test("names Docker would refuse", () => {
    expect(errorsOf({ name: "my app" })).toEqual([
      "name: Docker refuses this name: use at least two characters from [a-zA-Z0-9_.-], starting with a letter or digit",
    ]);
    expect(errorsOf({ name: "_x" })).toHaveLength(1);
    expect(errorsOf({ name: "a" })).toHaveLength(1);
    expect(errorsOf({ name: "web-1.prod_2" })).toEqual([]);
    expect(errorsOf({ image: " " })).toEqual(["image: is required"]);
  });

  test("restart policy", () => {
    expect(errorsOf({ restart: "sometimes" as never })).toEqual(["restart: must be one of no, always, on-failure, unless-stopped"]);
    expect(errorsOf({ restart: "always", restartMaxRetries: 3 })).toEqual(["restartMaxRetries: only applies to the on-failure restart policy"]);
    expect(errorsOf({ restart: "always", autoRemove: true })).toEqual([
      "autoRemove: cannot be combined with a restart policy (docker refuses --rm with --restart)",
    ]);
    expect(errorsOf({ restart: "on-failure", restartMaxRetries: 3, autoRemove: false })).toEqual([]);
  });

  test("volumes and mounts", () => {
    expect(
      errorsOf({
        volumes: [
          { source: "./data", target: "/data" },
          { source: "~/x", target: "/x" },
          { target: "relative" },
          { target: "/anon", mode: "ro" },
          { source: "/host", target: "/data" },
          { source: "/host", target: "/h", nocopy: true },
        ],
        mounts: [
          { type: "bind", target: "/b" },
          { type: "tmpfs", target: "/t", volumeNoCopy: true },
          { type: "volume", source: "bad name", target: "/v" },
        ],
        tmpfs: [{ target: "/t" }],
      }),
    ).toEqual([
      'volumes[0].source: "./data" must be a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+) or an absolute host path',
      'volumes[1].source: "~/x" must be a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+) or an absolute host path',
      "volumes[2].target: must be an absolute path in the container",
      "volumes[3]: an anonymous volume takes no options: give it a source (a volume name or a host path)",
      "volumes[4].target: /data is already mounted by volumes[0]",
      "volumes[5].nocopy: only applies to volumes, not host paths",
      "mounts[0].source: a bind mount needs an absolute host path",
      "mounts[1]: volume options cannot be used with type tmpfs",
      'mounts[2].source: "bad name" is not a valid volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)',
      "tmpfs[0].target: /t is already mounted by mounts[1]",
    ]);
  });

  test("hostname and domainname: the kernel's 64 bytes (runc could not start a longer one: the fuzz test's 500)", () => {
    expect(errorsOf({ hostname: "x".repeat(64), domainname: "d".repeat(64) })).toEqual([]);
    expect(errorsOf({ hostname: "x".repeat(65) })).toEqual(["hostname: at most 64 bytes (the kernel's limit for a host or domain name)"]);
    // Bytes, not characters: 22 three-byte characters are 66 bytes.
    expect(errorsOf({ domainname: "€".repeat(22) })).toEqual(["domainname: at most 64 bytes (the kernel's limit for a host or domain name)"]);
    expect(errorsOf({ hostname: "a\u0000b" })).toEqual(["hostname: must not contain a NUL character"]);
  });

  test("network", () => {
    expect(errorsOf({ ip: "10.0.0.1" })).toEqual(["ip: a fixed IP address needs a user-defined network (--network NAME)"]);
    expect(errorsOf({ network: "bridge", networkAliases: ["x"] })).toEqual([
      "networkAliases: network-scoped aliases are only supported for user-defined networks",
    ]);
    expect(errorsOf({ network: "appnet", ip: "10.0.0.999" })).toEqual(["ip: must be an IPv4 address"]);
    expect(errorsOf({ network: "container:db", hostname: "x", ports: [{ containerPort: 80 }] })).toEqual([
      "hostname: cannot be set when sharing another container's network (container:db)",
      "ports: cannot be set when sharing another container's network (container:db)",
    ]);
    expect(errorsOf({ dns: ["not-an-ip"], addHosts: [{ host: "h", ip: "nope" }], macAddress: "zz" })).toEqual([
      "dns[0]: must be an IP address",
      "macAddress: must look like 92:d0:c6:0a:29:33",
      'addHosts[0].ip: "nope" is not an IP address (or host-gateway)',
    ]);
    expect(errorsOf({ network: "appnet", ip: "10.231.200.5", ip6: "2001:db8::5", networkAliases: ["web"] })).toEqual([]);
  });

  test("security, logging, healthcheck", () => {
    expect(errorsOf({ sysctls: { "kernel.hostname": "x", "net.core.somaxconn": "1024" } })).toEqual([
      'sysctls["kernel.hostname"]: not allowed: Docker only sets namespaced sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*)',
    ]);
    expect(errorsOf({ network: "host", sysctls: { "net.core.somaxconn": "1" } })).toEqual([
      'sysctls["net.core.somaxconn"]: net.* sysctls cannot be set with the host network',
    ]);
    expect(errorsOf({ logDriver: "none", logOpts: { "max-size": "1m" } })).toEqual(["logOpts: the none log driver takes no options"]);
    expect(errorsOf({ healthcheck: { none: true, interval: "5s" } })).toEqual(["healthcheck.none: conflicts with the other healthcheck options"]);
    expect(errorsOf({ pid: "sideways", cgroupns: "shared" as never, stopSignal: "SIG TERM", ulimits: [{ name: "nofile", soft: 10, hard: 5 }] })).toEqual([
      "cgroupns: must be host or private",
      "ulimits[0].soft: must not be more than hard",
      "pid: must be host or container:NAME",
      'stopSignal: "SIG TERM" is not a signal (e.g. SIGTERM or 15)',
    ]);
    expect(errorsOf({ env: ["=x", "OK=1", "ALSO_OK"] })).toEqual(['env[0]: "=x" has no variable name']);
    expect(errorsOf({ securityOpt: ["no-new-privileges", "seccomp=unconfined", "label:disable", "seccomp=./profile.json", "bogus"] })).toEqual([
      "securityOpt[3]: a seccomp profile must be unconfined, builtin or the profile's JSON (a file path only means something to the CLI's machine)",
      'securityOpt[4]: "bogus" must be key=value (or no-new-privileges)',
    ]);
  });

  test("ipInSubnet, for the runtime to check --ip against the network", () => {
    expect(ipInSubnet("10.231.200.5", "10.231.200.0/24")).toBe(true);
    expect(ipInSubnet("10.231.201.5", "10.231.200.0/24")).toBe(false);
    expect(ipInSubnet("10.231.201.5", "10.231.0.0/16")).toBe(true);
    expect(ipInSubnet("2001:db8::5", "2001:db8::/64")).toBe(true);
    expect(ipInSubnet("2001:db9::5", "2001:db8::/64")).toBe(false);
    expect(ipInSubnet("10.0.0.1", "2001:db8::/64")).toBe(false);
    expect(ipInSubnet("10.0.0.1", "0.0.0.0/0")).toBe(true);
    expect(ipInSubnet("not-an-ip", "10.0.0.0/8")).toBe(false);
    expect(ipInSubnet("10.0.0.1", "10.0.0.0/33")).toBe(false);
  });
});
