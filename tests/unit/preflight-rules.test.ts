/**
 * The preflight's pure rules: the Java heap read from the environment, the host
 * ports a project or a container spec publishes (and clashes inside one deploy),
 * the subnet overlap rule, the memory verdicts, which images need
 * vm.max_map_count and where a Docker Hub image's manifest lives on a mirror.
 */
import { describe, expect, it } from "vitest";
import type { ComposeProject, ComposeService } from "../../runtime/compose/model";
import type { RunSpec } from "../../runtime/run-spec/schema";
import { humanBytes, javaHeap, parseJavaSize } from "../../runtime/stacks/preflight/heap";
import { hubManifestPath } from "../../runtime/stacks/preflight/image";
import { needsMaxMapCount } from "../../runtime/stacks/preflight/max-map-count";
import { memAvailable, memoryChecks } from "../../runtime/stacks/preflight/memory";
import { overlappingSubnets } from "../../runtime/stacks/preflight/names";
import { addressesClash, clashesWithin, collectPorts, planFromProject, planFromSpec, portLabel } from "../../runtime/stacks/preflight/plan";

const M = 1024 ** 2;
const G = 1024 ** 3;

function service(name: string, spec: Partial<RunSpec>, extra: Partial<ComposeService> = {}): ComposeService {
  return { name, spec: { image: "nginx", ...spec }, networks: [{ key: "default" }], dependsOn: [], replicas: 1, profiles: [], config: {}, ...extra };
}

function project(services: ComposeService[], networks: ComposeProject["networks"] = {}): ComposeProject {
  return { name: "shop", services, networks: { default: { key: "default", name: "shop_default", external: false }, ...networks }, volumes: {}, interpolated: "", warnings: [] };
}

describe("Java heap", () => {
  it("reads -Xmx sizes as the JVM does: k, m, g (either case) or bytes", () => {
    expect(parseJavaSize("512m")).toBe(512 * M);
    expect(parseJavaSize("1g")).toBe(G);
    expect(parseJavaSize("1G")).toBe(G);
    expect(parseJavaSize("1024k")).toBe(1024 * 1024);
    expect(parseJavaSize("1073741824")).toBe(G);
    for (const bad of ["", "m", "1.5g", "512mb", "-1m", "0"]) expect(parseJavaSize(bad), bad).toBeUndefined();
  });

  it("finds the heap in JAVA_OPTS, ES_JAVA_OPTS, CATALINA_OPTS or any variable; the last -Xmx of a variable wins, the largest variable is kept", () => {
    expect(javaHeap(["ES_JAVA_OPTS=-Xms256m -Xmx512m"])).toEqual({ variable: "ES_JAVA_OPTS", option: "-Xmx512m", bytes: 512 * M });
    expect(javaHeap(["CATALINA_OPTS=-Xmx1g -Xmx256m"])).toMatchObject({ option: "-Xmx256m", bytes: 256 * M });
    expect(javaHeap(["JAVA_OPTS=-Xmx1024k", "MY_FLAGS=-server -Xmx2g"])).toMatchObject({ variable: "MY_FLAGS", bytes: 2 * G });
    expect(javaHeap(["JAVA_OPTS=-Xms1g", "PATH=/bin", "NOVALUE"])).toBeUndefined();
    // Not an option: part of another word.
    expect(javaHeap(["NOTE=foo-Xmx512m"])).toBeUndefined();
    expect(javaHeap(undefined)).toBeUndefined();
  });

  it("prints sizes as a person reads them", () => {
    expect(humanBytes(512 * M)).toBe("512m");
    expect(humanBytes(1.5 * G)).toBe("1.5g");
    expect(humanBytes(300)).toBe("300b");
  });
});

describe("published ports", () => {
  it("a project's fixed host ports per replica, with the address and protocol as written; random ports are left out", () => {
    const plan = planFromProject(project([
      service("web", { ports: [{ hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80 }, { containerPort: 443 }, { hostPort: 0, containerPort: 81 }] }),
      service("dns", { ports: [{ hostPort: 5353, containerPort: 53, protocol: "udp" }] }, { containerName: "my-dns" }),
      service("many", { ports: [{ hostPort: 9000, hostPortEnd: 9001, containerPort: 90, containerPortEnd: 91 }] }),
    ]));
    expect(plan.containers.map((c) => c.name)).toEqual(["shop-web-1", "my-dns", "shop-many-1"]);
    expect(collectPorts(plan).map((p) => `${p.container} ${portLabel(p)}`)).toEqual([
      "shop-web-1 127.0.0.1:8080/tcp",
      "my-dns 5353/udp",
      "shop-many-1 9000/tcp",
      "shop-many-1 9001/tcp",
    ]);
  });

  it("a host range for one container port is one choice; a container spec publishes as the create form says", () => {
    const plan = planFromSpec({ image: "nginx", name: "web", ports: [{ hostPort: 8000, hostPortEnd: 8010, containerPort: 80 }, { hostIp: "::1", hostPort: 8443, containerPort: 443 }] });
    expect(collectPorts(plan).map(portLabel)).toEqual(["8000-8010/tcp", "[::1]:8443/tcp"]);
    // On the host's network Docker discards published ports.
    expect(collectPorts(planFromSpec({ image: "nginx", network: "host", ports: [{ hostPort: 80, containerPort: 80 }] }))).toEqual([]);
    expect(collectPorts(planFromProject(project([service("h", { ports: [{ hostPort: 80, containerPort: 80 }] }, { networkMode: "host", networks: [] })])))).toEqual([]);
  });

  it("two replicas or two services on one fixed host port clash; different addresses or protocols do not", () => {
    const plan = planFromProject(project([
      service("web", { ports: [{ hostPort: 8080, containerPort: 80 }] }, { replicas: 2 }),
      service("api", { ports: [{ hostIp: "127.0.0.1", hostPort: 8081, containerPort: 80 }] }),
      service("api2", { ports: [{ hostIp: "127.0.0.2", hostPort: 8081, containerPort: 80 }, { hostPort: 8080, containerPort: 80, protocol: "udp" }] }),
    ]));
    expect(clashesWithin(collectPorts(plan)).map((c) => `${c.other.container} ${c.port.container} ${c.port.hostPort}`)).toEqual(["shop-web-1 shop-web-2 8080"]);
    expect(addressesClash("", "127.0.0.1")).toBe(true);
    expect(addressesClash("0.0.0.0", "::1")).toBe(true);
    expect(addressesClash("127.0.0.1", "127.0.0.2")).toBe(false);
    expect(addressesClash("[::1]", "::1")).toBe(true);
  });
});

describe("subnet overlap", () => {
  const plan = planFromProject(project([service("web", {}, { networks: [{ key: "back", ipv4Address: "10.231.44.10" }] })], {
    back: { key: "back", name: "shop_back", external: false, ipam: { config: [{ subnet: "10.231.44.0/24" }] } },
  }));

  it("a planned subnet overlapping another network's subnet is named, equal, wider or narrower", () => {
    expect(plan.staticAddresses).toEqual([{ network: "shop_back", ip: "10.231.44.10", container: "shop-web-1" }]);
    expect(overlappingSubnets(plan, [{ name: "other", subnets: ["10.231.44.0/24"] }])).toEqual([{ network: "shop_back", subnet: "10.231.44.0/24", other: "other", otherSubnet: "10.231.44.0/24" }]);
    expect(overlappingSubnets(plan, [{ name: "wide", subnets: ["10.231.0.0/16"] }])).toHaveLength(1);
    expect(overlappingSubnets(plan, [{ name: "narrow", subnets: ["10.231.44.128/25"] }])).toHaveLength(1);
    expect(overlappingSubnets(plan, [{ name: "next", subnets: ["10.231.45.0/24", "fd00::/64"] }])).toEqual([]);
  });

  it("the stack's own network (same name, or the same compose project) and external networks are not conflicts", () => {
    expect(overlappingSubnets(plan, [{ name: "shop_back", subnets: ["10.231.44.0/24"] }])).toEqual([]);
    expect(overlappingSubnets(plan, [{ name: "shop_old", project: "shop", subnets: ["10.231.44.0/24"] }])).toEqual([]);
    const external = { ...plan, networks: plan.networks.map((n) => ({ ...n, external: true })) };
    expect(overlappingSubnets(external, [{ name: "other", subnets: ["10.231.44.0/24"] }])).toEqual([]);
  });
});

describe("memory", () => {
  const es = (memory: string | undefined, opts: string) => planFromSpec({ image: "elasticsearch:7.6.2", name: "es", memory, env: [`ES_JAVA_OPTS=${opts}`] });

  it("a heap larger than the memory limit fails, naming both; one that fits passes", () => {
    const checks = memoryChecks(es("256m", "-Xms256m -Xmx512m"), { total: 8 * G });
    expect(checks.find((c) => c.id === "java-heap:es")).toMatchObject({
      status: "fail",
      message: "the Java heap -Xmx512m (ES_JAVA_OPTS) is larger than the memory limit 256m",
    });
    expect(checks.find((c) => c.id === "java-heap:es")?.fix).toMatch(/raise mem_limit.*or lower -Xmx/);
    expect(memoryChecks(es("1g", "-Xmx512m"), { total: 8 * G }).find((c) => c.id === "java-heap:es")?.status).toBe("pass");
    expect(memoryChecks(es(undefined, "-Xmx16g"), { total: 8 * G }).find((c) => c.id === "java-heap:es")).toMatchObject({ status: "fail", message: expect.stringContaining("the engine's memory 8g") });
  });

  it("limits beyond the engine's memory fail; beyond its free memory warn, saying where free memory was read", () => {
    const plan = planFromProject(project([service("a", { memory: "3g" }, { replicas: 2 }), service("b", { memory: "1g" })]));
    expect(memoryChecks(plan, { total: 4 * G })[0]).toMatchObject({ id: "memory", status: "fail", message: expect.stringContaining("add up to 7g") });
    expect(memoryChecks(plan, { total: 16 * G, available: 6 * G, availableSource: "MemAvailable in /proc/meminfo" })[0]).toMatchObject({ status: "warn", message: expect.stringContaining("/proc/meminfo") });
    expect(memoryChecks(plan, { total: 16 * G, available: 10 * G, availableSource: "x" })[0]?.status).toBe("pass");
    expect(memoryChecks(plan, { total: 128 * G, available: 8 * G, availableSource: "x" })[0]).toMatchObject({ status: "warn", message: expect.stringContaining("low") });
    expect(memoryChecks(plan, { error: "no answer" })[0]).toMatchObject({ status: "warn", message: expect.stringContaining("could not be checked") });
    expect(memAvailable("MemTotal:       16310908 kB\nMemAvailable:    9012344 kB\n")).toBe(9012344 * 1024);
  });
});

describe("images", () => {
  it("Elasticsearch and OpenSearch from any registry with any tag need vm.max_map_count", () => {
    for (const i of ["elasticsearch:7.6.2", "docker.elastic.co/elasticsearch/elasticsearch:8.1.0", "opensearchproject/opensearch", "bitnami/elasticsearch@sha256:" + "a".repeat(64)]) expect(needsMaxMapCount(i), i).toBe(true);
    for (const i of ["nginx", "kibana:7.6.2", "redis"]) expect(needsMaxMapCount(i), i).toBe(false);
  });

  it("a Docker Hub image's manifest path on a mirror; another registry has none", () => {
    expect(hubManifestPath("redis")).toEqual({ repository: "library/redis", reference: "latest" });
    expect(hubManifestPath("docker.io/library/nginx:1.25")).toEqual({ repository: "library/nginx", reference: "1.25" });
    expect(hubManifestPath("bitnami/redis:7")).toEqual({ repository: "bitnami/redis", reference: "7" });
    expect(hubManifestPath(`redis@sha256:${"b".repeat(64)}`)).toEqual({ repository: "library/redis", reference: `sha256:${"b".repeat(64)}` });
    expect(hubManifestPath("127.0.0.1:5000/redis")).toBeUndefined();
    expect(hubManifestPath("ghcr.io/acme/app:1")).toBeUndefined();
  });
});
