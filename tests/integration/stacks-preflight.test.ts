/**
 * stacks.preflight through the runtime against the private engine, with the
 * docker CLI and the host itself as oracles: a host port held by a container
 * (named) or by another process (a plain server in this test process), images
 * present / pullable through the engine's registry mirror / missing,
 * vm.max_map_count read on the engine's host, a Java heap over its memory
 * limit, name conflicts, an overlapping subnet and a taken static address.
 */
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreflightCheck, PreflightResult } from "../../runtime/stacks/protocol";
import type { RunSpec } from "../../runtime/run-spec/schema";
import { freePort } from "../support/free-port";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const P = `berth-pf-${process.pid}`;
const STACK = `pf${process.pid}`;
const HOLDER = `${P}-holder`;
const OWN = `${P}-own`;
const NET = `${P}-net`;
const IP_HOLDER = `${P}-ip`;
let runtime: StartedRuntime;
let server: net.Server;
const port = { container: 0, process: 0, free: 0, own: 0 };
let redisRemoved = false;

const preflight = (target: { kind: "container"; spec: RunSpec } | { kind: "stack"; name: string; file: string; env?: string }): Promise<PreflightResult> =>
  runtime.client.call("stacks.preflight", { target: target.kind === "stack" ? { env: "", ...target } : target });
const check = (r: PreflightResult, id: string): PreflightCheck => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${JSON.stringify(r.checks.map((x) => x.id))}`);
  return c;
};

beforeAll(async () => {
  runtime = await startRuntime("preflight");
  port.container = await freePort();
  port.process = await freePort();
  port.free = await freePort();
  port.own = await freePort();
  docker("run", "-d", "--name", HOLDER, "-p", `127.0.0.1:${port.container}:80`, "nginx");
  // A container of the stack itself, holding the port its file publishes: the deploy recreates it.
  docker("run", "-d", "--name", OWN, "--label", `com.docker.compose.project=${STACK}`, "-p", `127.0.0.1:${port.own}:80`, "nginx");
  docker("network", "create", "--subnet", "10.231.44.0/24", NET);
  docker("run", "-d", "--name", IP_HOLDER, "--network", NET, "--ip", "10.231.44.20", "busybox", "sleep", "600");
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port.process, "127.0.0.1", resolve));
}, 60_000);

afterAll(async () => {
  server?.close();
  dockerQuiet("rm", "-f", HOLDER, OWN, IP_HOLDER);
  dockerQuiet("network", "rm", NET);
  if (redisRemoved) dockerQuiet("pull", "redis");
  await runtime?.stop();
}, 60_000);

describe("host ports", () => {
  it("a port held by a running container fails naming it; one held by another process fails as such; a free one passes", async () => {
    const started = Date.now();
    const r = await preflight({
      kind: "container",
      spec: {
        image: "nginx",
        ports: [
          { hostIp: "127.0.0.1", hostPort: port.container, containerPort: 80 },
          { hostIp: "127.0.0.1", hostPort: port.process, containerPort: 81 },
          { hostIp: "127.0.0.1", hostPort: port.free, containerPort: 82 },
          { containerPort: 83 },
        ],
      },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    const byContainer = check(r, `port:127.0.0.1:${port.container}/tcp`);
    expect(byContainer).toMatchObject({ status: "fail", message: expect.stringContaining(`taken by container ${HOLDER}`), fix: `choose another host port, or stop ${HOLDER}` });
    const byProcess = check(r, `port:127.0.0.1:${port.process}/tcp`);
    expect(byProcess).toMatchObject({ status: "fail", message: expect.stringContaining("another process") });
    expect(byProcess.fix).toMatch(/choose another host port/);
    expect(check(r, `port:127.0.0.1:${port.free}/tcp`)).toMatchObject({ status: "pass" });
    expect(r.ok).toBe(false);
    // The probe closed at once: the free port is still free.
    await new Promise<void>((resolve, reject) => {
      const s = net.createServer().once("error", reject).listen(port.free, "127.0.0.1", () => s.close(() => resolve()));
    });
  });

  it("every address (no host IP) clashes with a container on 127.0.0.1; udp is checked apart from tcp", async () => {
    const r = await preflight({ kind: "container", spec: { image: "nginx", ports: [{ hostPort: port.container, containerPort: 80 }, { hostPort: port.container, containerPort: 80, protocol: "udp" }] } });
    expect(check(r, `port:${port.container}/tcp`)).toMatchObject({ status: "fail", message: expect.stringContaining(HOLDER) });
    expect(check(r, `port:${port.container}/udp`).status).toBe("pass");
  });

  it("in a stack: a port held by the stack's own container passes (it is recreated); a stack that exists warns it is updated", async () => {
    const file = `services:\n  web:\n    image: nginx\n    ports:\n      - "127.0.0.1:${port.own}:80"\n      - "127.0.0.1:${port.container}:81"\n`;
    const r = await preflight({ kind: "stack", name: STACK, file });
    expect(check(r, `port:127.0.0.1:${port.own}/tcp`)).toMatchObject({ status: "pass", message: expect.stringContaining(OWN) });
    expect(check(r, `port:127.0.0.1:${port.container}/tcp`)).toMatchObject({ status: "fail", message: expect.stringContaining(HOLDER) });
    expect(check(r, "project")).toMatchObject({ status: "warn", message: expect.stringContaining("deploying updates it") });
    const fresh = await preflight({ kind: "stack", name: `${STACK}new`, file: `services:\n  web:\n    image: nginx\n    ports:\n      - "127.0.0.1:${port.own}:80"\n` });
    expect(check(fresh, `port:127.0.0.1:${port.own}/tcp`)).toMatchObject({ status: "fail", message: expect.stringContaining(OWN) });
    expect(check(fresh, "project").status).toBe("pass");
  });
});

describe("images", () => {
  it("present passes; missing but pullable through the engine's registry mirror passes; nonexistent fails with a fix", async () => {
    const present = await preflight({ kind: "container", spec: { image: "nginx" } });
    expect(check(present, "image:nginx")).toMatchObject({ status: "pass", message: expect.stringContaining("present on the engine") });

    docker("rmi", "redis");
    redisRemoved = true;
    expect(() => docker("image", "inspect", "redis")).toThrow();
    const pullable = await preflight({ kind: "container", spec: { image: "redis" } });
    expect(check(pullable, "image:redis")).toMatchObject({ status: "pass", message: expect.stringContaining("pullable") });
    docker("pull", "redis");
    redisRemoved = false;

    const started = Date.now();
    const missing = await preflight({ kind: "container", spec: { image: `${P}-no-such-image:1.0` } });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(check(missing, `image:${P}-no-such-image:1.0`)).toMatchObject({
      status: "fail",
      message: expect.stringContaining("not pullable"),
      fix: expect.stringContaining("docker load"),
    });
    expect(missing.ok).toBe(false);
  }, 60_000);

  it("a service built from the stack folder passes without looking for an image", async () => {
    fs.mkdirSync(`${runtime.dataDir}/stacks/${STACK}b/app`, { recursive: true });
    const r = await preflight({ kind: "stack", name: `${STACK}b`, file: "services:\n  app:\n    build: ./app\n" });
    expect(r.checks.find((c) => c.id.startsWith("image:"))).toMatchObject({ status: "pass", message: expect.stringContaining("built from the stack folder") });
    const never = await preflight({ kind: "stack", name: `${STACK}b`, file: `services:\n  app:\n    image: ${P}-absent:1\n    pull_policy: never\n` });
    expect(check(never, `image:${P}-absent:1`)).toMatchObject({ status: "fail", message: expect.stringContaining("pull_policy: never") });
  });
});

describe("memory and vm.max_map_count", () => {
  it("vm.max_map_count is read on the engine's host by a helper that is removed; pass or fail by the threshold", async () => {
    const host = Number(fs.readFileSync("/proc/sys/vm/max_map_count", "utf8").trim());
    const r = await preflight({ kind: "container", spec: { image: "elasticsearch:7.6.2", name: `${P}-es`, memory: "1g", env: ["discovery.type=single-node", "ES_JAVA_OPTS=-Xms256m -Xmx512m"] } });
    const c = check(r, "vm.max_map_count");
    expect(c.message).toMatch(new RegExp(`^${host} on the engine's host`));
    expect(c.status).toBe(host >= 262144 ? "pass" : "fail");
    if (c.status === "fail") expect(c.fix).toContain("sysctl -w vm.max_map_count=262144");
    expect(docker("ps", "-aq", "--filter", "label=io.berth.helper=preflight")).toBe("");
    expect(check(r, "java-heap:" + `${P}-es`).status).toBe("pass");
    // No Elasticsearch, no check.
    const plain = await preflight({ kind: "container", spec: { image: "nginx" } });
    expect(plain.checks.some((x) => x.id === "vm.max_map_count")).toBe(false);
  }, 30_000);

  it("a Java heap larger than the memory limit fails naming both; the engine's memory is checked against the limits", async () => {
    const r = await preflight({ kind: "container", spec: { image: "busybox", name: `${P}-java`, memory: "256m", env: ["JAVA_OPTS=-Xms128m -Xmx512m"] } });
    expect(check(r, `java-heap:${P}-java`)).toMatchObject({ status: "fail", message: "the Java heap -Xmx512m (JAVA_OPTS) is larger than the memory limit 256m" });
    expect(check(r, "memory").status).toBe("pass");
    const huge = await preflight({ kind: "container", spec: { image: "busybox", memory: "100000g" } });
    expect(check(huge, "memory")).toMatchObject({ status: "fail", message: expect.stringContaining("larger than the engine's memory") });
  });
});

describe("name conflicts", () => {
  it("a container name in use fails, for a container spec and for a stack's container_name", async () => {
    const r = await preflight({ kind: "container", spec: { image: "nginx", name: HOLDER } });
    expect(check(r, `name:${HOLDER}`)).toMatchObject({ status: "fail", fix: `choose another name, or remove the container ${HOLDER}` });
    const s = await preflight({ kind: "stack", name: `${STACK}c`, file: `services:\n  web:\n    image: nginx\n    container_name: ${HOLDER}\n` });
    expect(check(s, `name:${HOLDER}`).status).toBe("fail");
    const free = await preflight({ kind: "container", spec: { image: "nginx", name: `${P}-unused` } });
    expect(check(free, "names").status).toBe("pass");
  });

  it("a stack subnet overlapping an existing network fails naming it; a free subnet passes", async () => {
    const file = (subnet: string) => `services:\n  web:\n    image: nginx\n    networks: [back]\nnetworks:\n  back:\n    ipam:\n      config:\n        - subnet: ${subnet}\n`;
    const r = await preflight({ kind: "stack", name: `${STACK}n`, file: file("10.231.44.0/24") });
    expect(check(r, `subnet:${STACK}n_back:10.231.44.0/24`)).toMatchObject({ status: "fail", message: expect.stringContaining(`existing network ${NET}`) });
    const ok = await preflight({ kind: "stack", name: `${STACK}n`, file: file("10.231.45.0/24") });
    expect(check(ok, "subnets").status).toBe("pass");
  });

  it("a static address already used on its network fails naming the container", async () => {
    const r = await preflight({ kind: "container", spec: { image: "nginx", network: NET, ip: "10.231.44.20" } });
    expect(check(r, `ip:${NET}:10.231.44.20`)).toMatchObject({ status: "fail", message: expect.stringContaining(IP_HOLDER) });
    const ok = await preflight({ kind: "container", spec: { image: "nginx", network: NET, ip: "10.231.44.21" } });
    expect(check(ok, `ip:${NET}:10.231.44.21`).status).toBe("pass");
  });
});

it("a file that does not load is one failed check naming the line and key", async () => {
  const r = await preflight({ kind: "stack", name: `${STACK}f`, file: "services:\n  web:\n    image: nginx\n    volumez: []\n" });
  expect(r.ok).toBe(false);
  expect(r.checks).toHaveLength(1);
  expect(r.checks[0]).toMatchObject({ id: "file", status: "fail", message: expect.stringMatching(/line 4.*volumez/) });
});
