/**
 * Create requests whose values Docker or runc refuse, through the real runtime
 * against the private engine: wrong types, values outside the kernel's ranges,
 * values only the engine or runc can judge (a user the image lacks, a sysctl the
 * kernel refuses, an unknown log driver). Each is a 400 naming the field, never
 * a 500, and the runtime keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-refuse-${process.pid}`;
let runtime: StartedRuntime;

beforeAll(async () => {
  runtime = await startRuntime("refuse");
});

afterAll(async () => {
  await runtime?.stop();
});

async function stillServing(): Promise<void> {
  expect(runtime.child.exitCode).toBeNull();
  const status = await runtime.client.call("engine.status", {});
  expect(status.reachable).toBe(true);
}

describe("create specs with fields of the wrong type", () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ memorySwap: {} }, "memorySwap", /^memorySwap: must be a size/],
    [{ memory: { a: 1 } }, "memory", /^memory: must be a size/],
    [{ memory: null }, "memory", /^memory: must be a size/],
    [{ network: { valueOf: 1 } }, "network", /^network: .*expected string/],
    [{ userns: { toString: 1 } }, "userns", /^userns: .*expected string/],
    [{ ports: [{ containerPort: 80, hostIp: {} }] }, "ports[0].hostIp", /^ports\[0\]\.hostIp: /],
  ];
  for (const [extra, field, message] of cases) {
    it(`${JSON.stringify(extra)} is a 400 naming ${field}`, async () => {
      const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", ...extra }, createOnly: true }));
      expect(err.status).toBe(400);
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.field).toBe(field);
      expect(err.message).toMatch(message);
      await stillServing();
    });
  }
});

describe("values the kernel refuses when the container starts", () => {
  it("cpuShares and pidsLimit outside the kernel's ranges are refused before anything is created", async () => {
    for (const [extra, field] of [[{ cpuShares: 789_539_177 }, "cpuShares"], [{ cpuShares: 1 }, "cpuShares"], [{ pidsLimit: 999_999_976 }, "pidsLimit"]] as const) {
      const name = `${prefix}-k-${field}`;
      try {
        const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", name, ...extra } }));
        expect(err.status).toBe(400);
        expect(err.field).toBe(field);
        expect(() => docker("inspect", name)).toThrow();
      } finally {
        dockerQuiet("rm", "-f", name);
      }
    }
  });

  it("a ulimit over the host's hard limit is a 400 naming ulimits, and says the container is there", async () => {
    const name = `${prefix}-k-ulimit`;
    try {
      const spec = { image: "busybox", name, command: ["true"], ulimits: [{ name: "nofile", soft: 2_000_000_000, hard: 2_000_000_000 }] };
      const err = await callError(runtime.client.call("containers.create", { spec }));
      expect(err.status).toBe(400);
      expect(err.field).toBe("ulimits");
      expect(err.message).toMatch(new RegExp(`^ulimits: container ${name} \\([0-9a-f]{12}\\) was created but did not start: .*rlimit`));
      expect(err.error.created).toBe(true);
      await stillServing();
    } finally {
      dockerQuiet("rm", "-f", name);
    }
  });
});

describe("values the engine or runc refuses are a 400 naming the field", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a sysctl value the kernel refuses", { sysctls: { "net.ipv4.ip_forward": "abc" } }, "sysctls"],
    ["a user not in the image", { user: `${prefix}-nouser` }, "user"],
    ["a group not in the image", { groupAdd: [`${prefix}-nogroup`] }, "groupAdd"],
    ["a device the host does not have", { devices: [{ pathOnHost: `/dev/${prefix}-none` }] }, "devices"],
    ["tmpfs options the kernel refuses", { tmpfs: [{ target: "/t", options: "size=abc" }] }, "tmpfs"],
    ["a log option the driver refuses when it starts", { logOpts: { "max-size": "abc" } }, "logOpts"],
    ["a seccomp profile that is not JSON", { securityOpt: ["seccomp={bad json"] }, "securityOpt"],
    ["a command the image does not have", { command: [`/${prefix}-none`] }, "command"],
    ["a signal the engine does not know", { stopSignal: "SIGFOO" }, "stopSignal"],
    ["a runtime the engine does not have", { runtime: `${prefix}-rt` }, "runtime"],
    ["an unknown capability", { capAdd: ["CAP_BOGUS"] }, "capAdd"],
  ];
  for (const [what, extra, field] of cases) {
    it(`${what}: ${field}`, async () => {
      const name = `${prefix}-v-${field}`;
      try {
        const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", name, command: ["true"], ...extra } }));
        expect(err.status).toBe(400);
        expect(err.code).toBe("BAD_REQUEST");
        expect(err.field).toBe(field);
        expect(err.message).toMatch(new RegExp(`^${field}: `));
      } finally {
        dockerQuiet("rm", "-f", name);
      }
    });
  }
});

describe("log driver errors name their field", () => {
  it("an unknown log option is a 400 naming logOpts", async () => {
    const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", logOpts: { [`${prefix}-opt`]: "1" } }, createOnly: true }));
    expect(err.status).toBe(400);
    expect(err.field).toBe("logOpts");
    expect(err.message).toMatch(/^logOpts: unknown log opt/);
  });

  // The engine looks an unknown name up as a plugin for about 15 s before it answers.
  it("an unknown log driver is a 400 naming logDriver and listing the engine's drivers", { timeout: 60_000 }, async () => {
    const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", logDriver: `${prefix}-driver` }, createOnly: true }));
    expect(err.status).toBe(400);
    expect(err.field).toBe("logDriver");
    expect(err.message).toMatch(new RegExp(`^logDriver: "${prefix}-driver" is not a log driver on this engine \\(this engine lists [^)]*json-file`));
    await stillServing();
  });
});

describe("names in any script", () => {
  const net = `${prefix}-r\u00e9seau-\u7db2`;
  afterAll(() => dockerQuiet("network", "rm", net));

  it("a network named in any script is found, and one that does not exist is a 400 naming network", async () => {
    docker("network", "create", net);
    const name = `${prefix}-n`;
    try {
      const made = await runtime.client.call("containers.create", { spec: { image: "busybox", name, network: net }, createOnly: true });
      expect(made.name).toBe(name);
    } finally {
      dockerQuiet("rm", "-f", name);
    }
    for (const missing of [`${prefix}-\ufb75\u0842\u0b1a`, `${prefix}-\u00f1`]) {
      const err = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", network: missing }, createOnly: true }));
      expect(err.status).toBe(400);
      expect(err.field).toBe("network");
      expect(err.message).toMatch(/does not exist/);
    }
    await stillServing();
  });

  it("a container reference in another script is a 400 that says it does not exist; half a UTF-16 pair is not a name", async () => {
    const link = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", links: [{ container: "\u7db2\u7d61" }] }, createOnly: true }));
    expect(link.status).toBe(400);
    expect(link.field).toBe("links[0].container");
    expect(link.message).toMatch(/does not exist/);
    const half = await callError(runtime.client.call("containers.create", { spec: { image: "busybox", network: `${prefix}-\udfff` }, createOnly: true }));
    expect(half.status).toBe(400);
    expect(half.field).toBe("network");
    expect(half.message).toMatch(/is not a network name/);
    await stillServing();
  });
});
