/**
 * A create whose runtime dies mid-call: the dashboard waits for the runtime to
 * come back, asks the engine, and says what exists, which must match `docker ps -a`.
 * The runtime is caught at an exact step by a pass-through proxy on the engine's
 * socket that holds one request (the create, or the start), then SIGKILLed.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { dockerProxy } from "../support/docker-proxy";
import { startBerth } from "../support/start-berth";
import { docker, dockerQuiet } from "./helpers";

const PREFIX = `e2e-ic-${process.pid}`;
test.describe.configure({ timeout: 180_000 });
test.afterAll(() => {
  for (const id of docker("ps", "-aq", "--filter", `name=${PREFIX}`).split("\n").filter(Boolean)) dockerQuiet("rm", "-f", id);
});

/** Starts a Berth whose engine traffic goes through a proxy holding the first request `hold` matches. */
async function berthHolding(hold: (method: string, url: string) => boolean) {
  const dir = fs.mkdtempSync(path.join(process.env.BERTH_TEST_DIR!, "create-"));
  const proxy = await dockerProxy(path.join(dir, "docker.sock"), hold);
  const berth = await startBerth({ dir, env: { ...process.env, DOCKER_HOST: proxy.dockerHost } });
  const api = await new BerthApi(berth.url).signIn(berth.token);
  return {
    api,
    /** SIGKILLs the runtime once the held request has arrived. */
    killRuntimeWhenHeld: async () => {
      await proxy.held;
      process.kill(Number(fs.readFileSync(path.join(berth.dataDir, "runtime.pid"), "utf8")), "SIGKILL");
    },
    close: async () => {
      await berth.stop();
      await proxy.close();
    },
  };
}

const containerStart = (method: string, url: string) => method === "POST" && /\/containers\/[0-9a-f]{64}\/start/.test(url);
const containerCreate = (method: string, url: string) => method === "POST" && /\/containers\/create/.test(url);

test("killed between create and start: says the container was created but not started, with its id", async () => {
  const name = `${PREFIX}-made`;
  const b = await berthHolding(containerStart);
  try {
    const [reply] = await Promise.all([
      b.api.mutate("containerCreate.create", { env: "local", spec: { name, image: "busybox", command: ["sleep", "300"] } }),
      b.killRuntimeWhenHeld(),
    ]);
    const [id, status] = docker("ps", "-a", "--no-trunc", "--filter", `name=^${name}$`, "--format", "{{.ID}} {{.State}}").split(" ");
    expect(status).toBe("created");
    expect(reply.status).toBe(503);
    expect(reply.error?.message).toBe(
      `The runtime restarted during the create; container ${name} was created (id ${id!.slice(0, 12)}) but not started (state: created).`,
    );
    expect(reply.error?.data).toMatchObject({ containerId: id, created: true });
    // The audit row names what exists.
    const audit = await b.api.query("audit.list", { action: "container.create" });
    expect((audit.data as { items: { targetId: string; outcome: string }[] }).items[0]).toMatchObject({ targetId: id, outcome: "error" });
  } finally {
    await b.close();
  }
});

test("killed before the engine saw the create: says the container was not created", async () => {
  const name = `${PREFIX}-none`;
  const b = await berthHolding(containerCreate);
  try {
    const [reply] = await Promise.all([
      b.api.mutate("containerCreate.create", { env: "local", spec: { name, image: "busybox", command: ["sleep", "300"] } }),
      b.killRuntimeWhenHeld(),
    ]);
    expect(docker("ps", "-a", "--filter", `name=^${name}$`, "--format", "{{.ID}}")).toBe("");
    expect(reply.status).toBe(503);
    expect(reply.error?.message).toBe(`The runtime restarted during the create; container ${name} was not created: you can create it again.`);
    // And it can: the retry does not meet a name already in use.
    const retry = await b.api.mutate("containerCreate.create", { env: "local", spec: { name, image: "busybox", command: ["sleep", "300"] } });
    expect(retry.status, retry.text.slice(0, 300)).toBe(200);
  } finally {
    await b.close();
  }
});

test("an unnamed create cannot be checked: says so and points at the list", async () => {
  const b = await berthHolding(containerCreate);
  try {
    const [reply] = await Promise.all([
      b.api.mutate("containerCreate.create", { env: "local", spec: { image: "busybox", command: ["sleep", "300"], labels: { [PREFIX]: "1" } } }),
      b.killRuntimeWhenHeld(),
    ]);
    expect(reply.status).toBe(503);
    expect(reply.error?.message).toMatch(/^The runtime restarted during the create; the container had no name, so Berth cannot tell whether it was created: look for it in the container list/);
    expect(docker("ps", "-a", "--filter", `label=${PREFIX}`, "--format", "{{.ID}}")).toBe("");
  } finally {
    await b.close();
  }
});
