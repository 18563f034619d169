/**
 * Create specs that are small to send and enormous to expand (port ranges, a
 * long list of refused elements), through the real runtime against the private
 * engine: each is a quick 400 naming its field, and the runtime answers other
 * calls while it works on them. Checking such a spec must never take the
 * runtime's event loop: every other call waits behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-bounded-${process.pid}`;
/** Far more than a refusal needs, far less than expanding the input takes. */
const ANSWER_MS = 10_000;
let runtime: StartedRuntime;

beforeAll(async () => {
  runtime = await startRuntime("bounded");
});

afterAll(async () => {
  // A runtime held by a busy loop never runs its SIGTERM handler.
  await runtime?.stop("SIGKILL");
  const made = docker("ps", "-aq", "--filter", `name=^${prefix}`);
  if (made) dockerQuiet("rm", "-f", ...made.split("\n"));
});

/** Sends the create, and an engine.status meanwhile, which must answer within 3 s; returns the create's error. */
async function refusedWhileServing(spec: Record<string, unknown>) {
  const create = callError(runtime.client.call("containers.create", { spec: { image: "busybox", command: ["true"], ...spec }, createOnly: true }, { timeoutMs: ANSWER_MS }));
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  const status = await runtime.client.call("engine.status", {}, { timeoutMs: 3_000 });
  expect(status.reachable, "engine.status answered while the create was checked").toBe(true);
  expect(Date.now() - t0).toBeLessThan(3_000);
  const err = await create;
  expect(err.message).not.toMatch(/not answering|timed out|deadline/i);
  expect(err.status).toBe(400);
  expect(err.code).toBe("BAD_REQUEST");
  return err;
}

describe("create specs that would take the runtime's event loop", () => {
  it("the fuzz's expose ranges beyond 65535 (with an odd volume driver) are a 400 naming expose[0]", async () => {
    const name = `${prefix}-expose`;
    const err = await refusedWhileServing({ name, expose: ["06609290961-86012", "68738815-7971374985"], volumeDriver: "\uffff\ufffe" });
    expect(err.field).toBe("expose[0]");
    expect(err.message).toMatch(/^expose\[0\]: "06609290961-86012": ports must be between 1 and 65535/);
    expect(err.message).toMatch(/expose\[1\]: "68738815-7971374985": ports must be between 1 and 65535/);
    expect(() => docker("inspect", name)).toThrow();
  });

  it("a range that runs downwards is refused, not expanded", async () => {
    const err = await refusedWhileServing({ name: `${prefix}-down`, expose: ["9000-8000/udp"] });
    expect(err.field).toBe("expose[0]");
    expect(err.message).toMatch(/the range must end at or after its start/);
  });

  it("ranges that add up to more than every port are a 400 naming the field where they do", async () => {
    const ports = await refusedWhileServing({ name: `${prefix}-ports`, ports: Array.from({ length: 1000 }, () => ({ containerPort: 1, containerPortEnd: 65535 })) });
    expect(ports.field).toBe("ports");
    expect(ports.message).toMatch(/^ports: more than 65535 ports in all/);
    const expose = await refusedWhileServing({ name: `${prefix}-ranges`, ports: [{ containerPort: 80 }], expose: Array.from({ length: 5000 }, () => "1-65535") });
    expect(expose.field).toBe("expose");
    expect(expose.message).toMatch(/^expose: more than 65535 ports in all/);
  });

  it("refused list elements are taken out in one pass, and a list longer than any command is refused whole", async () => {
    const refused = await refusedWhileServing({ name: `${prefix}-refused`, devices: Array.from({ length: 4900 }, () => ({})), labels: Object.fromEntries(Array.from({ length: 4900 }, (_, i) => [`l${i}`, i])) });
    expect(refused.message).toContain("devices[4899].pathOnHost: ");
    expect(refused.message).toContain("labels.l4899: ");
    const long = await refusedWhileServing({ name: `${prefix}-devices`, devices: Array.from({ length: 300_000 }, () => ({})) });
    expect(long.field).toBe("devices");
    expect(long.message).toMatch(/^devices: the spec has more than 10000 entries in all/);
  });

  it("a spec the cap allows is still created", async () => {
    const name = `${prefix}-ok`;
    const made = await runtime.client.call("containers.create", { spec: { image: "busybox", name, command: ["true"], expose: ["7000-7999", "53/udp"] }, createOnly: true });
    expect(made.name).toBe(name);
    const exposed = Object.keys(JSON.parse(docker("inspect", "-f", "{{json .Config.ExposedPorts}}", name)) as Record<string, unknown>);
    expect(exposed).toHaveLength(1001);
    expect(exposed).toContain("53/udp");
  });
});
