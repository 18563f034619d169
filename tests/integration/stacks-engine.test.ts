/**
 * The stack engine through the runtime against the private engine, with the
 * docker and docker-compose 1.29 CLIs as oracles: a 3-service stack (nginx
 * published on 127.0.0.1, redis with a healthcheck and a named volume, a busybox
 * waiting for redis to be healthy), its names, labels and network; compose's
 * own `ps` and `stop` on Berth's file; an update that recreates only the
 * edited service; orphans; a rollback to a moved tag's old image; versions and
 * diff; docker-compose down on a Berth stack; down keeping named volumes unless asked.
 * Subnets 10.231.40.0/24 and 10.231.49.0/24.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { freePort } from "../support/free-port";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";
import { compose, containerId, httpBody, labelsOf, namesOf, networkNames, owner, resultOf, runTask, volumeNames } from "./stacks-helpers";

requirePrivateEngine();

const name = `berthse${process.pid}`;
/** The web service's image: a tag of our own (nginx), moved to redis for the rollback. */
const webImage = `berth-se-web-${process.pid}:1`;
let runtime: RuntimeClient;
let started: StartedRuntime;
let port: number;
let composeFile: string;

const file = (opts: { color?: string; app?: boolean } = {}) => `services:
  web:
    image: ${webImage}
    ports: ["127.0.0.1:${port}:80"]
    environment:
      COLOR: ${opts.color ?? "blue"}
    labels:
      io.berth.access: stolen
  cache:
    image: redis
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 1s
      timeout: 3s
      retries: 20
    volumes: ["data:/data"]
${
  opts.app === false
    ? ""
    : `  app:
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    depends_on:
      cache:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
`
}networks:
  default:
    ipam:
      config:
        - subnet: 10.231.40.0/24
volumes:
  data: {}
`;

const deploy = (f: string, extra: Record<string, unknown> = {}) =>
  runTask(runtime, runtime.call("stacks.deploy", { name, file: f, env: "", owner, controlId: "ctl_se", ...extra }));

beforeAll(async () => {
  port = await freePort();
  docker("tag", "nginx:latest", webImage);
  started = await startRuntime("se");
  runtime = started.client;
  composeFile = `${started.dataDir}/stacks/${name}/compose.yaml`;
});

afterAll(async () => {
  const ours = namesOf(name);
  if (ours.length) dockerQuiet("rm", "-f", ...ours);
  dockerQuiet("network", "rm", `${name}_default`);
  dockerQuiet("volume", "rm", `${name}_data`);
  dockerQuiet("rmi", webImage);
  await started?.stop();
});

describe("stacks engine", () => {
  it("refuses an invalid file naming file, before writing anything", async () => {
    const err = await callError(runtime.call("stacks.deploy", { name, file: "services:\n  web:\n    imagez: nginx\n", env: "", owner }));
    expect(err.error.code).toBe("BAD_REQUEST");
    expect(err.error.field).toBe("file");
    expect(err.message).toMatch(/line 3/);
    expect((await callError(runtime.call("stacks.get", { name }))).error.code).toBe("NOT_FOUND");
  });

  it("deploys three services with compose's names, labels and network", async () => {
    const t = await deploy(file());
    expect(resultOf(t).version).toBe(1);
    expect(resultOf(t).services.map((s) => [s.name, s.action])).toEqual([["web", "created"], ["cache", "created"], ["app", "created"]]);
    expect(namesOf(name)).toEqual([`${name}-app-1`, `${name}-cache-1`, `${name}-web-1`]);
    const l = labelsOf(`${name}-web-1`);
    expect(l).toMatchObject({
      "com.docker.compose.project": name,
      "com.docker.compose.service": "web",
      "com.docker.compose.container-number": "1",
      "com.docker.compose.oneoff": "False",
      "com.docker.compose.project.config_files": composeFile,
      "com.docker.compose.project.working_dir": `${started.dataDir}/stacks/${name}`,
      "io.berth.access": "ctl_se",
    });
    expect(l["com.docker.compose.config-hash"]).toMatch(/^[a-f0-9]{64}$/);
    const net = JSON.parse(docker("network", "inspect", "-f", "{{json .Labels}}", `${name}_default`)) as Record<string, string>;
    expect(net).toMatchObject({ "com.docker.compose.network": "default", "com.docker.compose.project": name });
    expect(docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", `${name}_default`)).toBe("10.231.40.0/24");
    const aliases = docker("inspect", "-f", `{{json (index .NetworkSettings.Networks "${name}_default").Aliases}}`, `${name}-app-1`);
    expect(JSON.parse(aliases)).toEqual(expect.arrayContaining(["app"]));
    expect(JSON.parse(docker("volume", "inspect", "-f", "{{json .Labels}}", `${name}_data`))).toMatchObject({ "com.docker.compose.volume": "data", "com.docker.compose.project": name });
    expect(docker("inspect", "-f", "{{.State.Health.Status}}", `${name}-cache-1`)).toBe("healthy");
    expect(await httpBody(port)).toContain("Welcome to nginx!");
  });

  it("is what docker-compose sees: ps lists the three, stop stops them, Berth starts them again", async () => {
    const ps = compose("-p", name, "-f", composeFile, "ps");
    for (const s of ["web", "cache", "app"]) expect(ps).toContain(`${name}-${s}-1`);
    compose("-p", name, "-f", composeFile, "stop");
    const stack = (await runtime.call("stacks.list", {})).find((s) => s.name === name);
    expect(stack).toMatchObject({ source: "berth", status: "stopped", containers: { running: 0, total: 3 }, controlId: "ctl_se", version: 1 });
    const r = await runtime.call("stacks.action", { name, action: "start" });
    // Dependency order: app waits for cache.
    expect(r.containers.map((c) => c.name)).toEqual([`${name}-web-1`, `${name}-cache-1`, `${name}-app-1`]);
    expect(r.containers.every((c) => c.ok)).toBe(true);
    expect((await runtime.call("stacks.get", { name })).status).toBe("running");
  });

  it("an update recreates only the edited service; a removed service is an orphan until removeOrphans", async () => {
    const before = { web: containerId(`${name}-web-1`), cache: containerId(`${name}-cache-1`), app: containerId(`${name}-app-1`) };
    const t = await deploy(file({ color: "green" }));
    expect(resultOf(t).services.find((s) => s.name === "web")?.action).toBe("recreated");
    expect(containerId(`${name}-web-1`)).not.toBe(before.web);
    expect(containerId(`${name}-cache-1`)).toBe(before.cache);
    expect(containerId(`${name}-app-1`)).toBe(before.app);
    expect(docker("inspect", "-f", "{{json .Config.Env}}", `${name}-web-1`)).toContain("COLOR=green");

    const without = await deploy(file({ color: "green", app: false }));
    expect(resultOf(without).orphans).toEqual(["app"]);
    expect(containerId(`${name}-app-1`)).toBe(before.app);
    const detail = await runtime.call("stacks.get", { name });
    expect(detail.services.find((s) => s.name === "app")).toMatchObject({ orphan: true, replicas: 0 });
    expect(detail.services.find((s) => s.name === "web")?.containers[0]).toMatchObject({ upToDate: true });

    await deploy(file({ color: "green", app: false }), { removeOrphans: true });
    expect(namesOf(name)).toEqual([`${name}-cache-1`, `${name}-web-1`]);
  });

  it("rolls back to version 1's image after its tag moved; versions and diff show it", async () => {
    const nginxId = docker("image", "inspect", "-f", "{{.Id}}", "nginx:latest");
    docker("tag", "redis:latest", webImage);
    const moved = await deploy(file({ color: "green", app: false }));
    expect(resultOf(moved).services.find((s) => s.name === "web")?.action).toBe("recreated");
    expect(docker("inspect", "-f", "{{.Image}}", `${name}-web-1`)).not.toBe(nginxId);

    const rb = await runTask(runtime, runtime.call("stacks.rollback", { name, version: 1, owner, controlId: "ctl_se" }));
    expect(docker("inspect", "-f", "{{.Image}}", `${name}-web-1`)).toBe(nginxId);
    expect(await httpBody(port)).toContain("Welcome to nginx!");
    expect(namesOf(name)).toContain(`${name}-app-1`);
    const versions = await runtime.call("stacks.versions", { name });
    const newest = versions[0];
    expect(newest).toMatchObject({ version: resultOf(rb).version, action: "rollback", rolledBackTo: 1, by: owner });
    expect(versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
    const v1 = await runtime.call("stacks.version", { name, version: 1 });
    expect(newest.digests.web).toBe(v1.digests.web);
    // Pulled images are pinned by their registry digest; a local tag without one by the image id.
    expect(v1.digests.cache).toBe(docker("image", "inspect", "-f", "{{index .RepoDigests 0}}", "redis:latest"));
    expect(v1.digests.cache).toMatch(/^redis@sha256:[a-f0-9]{64}$/);
    expect(v1.digests.web).toBe(nginxId);
    const diff = await runtime.call("stacks.diff", { name, from: 5, to: 6 });
    expect(diff.digests.find((d) => d.service === "web")).toMatchObject({ from: versions[1].digests.web, to: v1.digests.web });
    expect(diff.file.filter((l) => l.op === "add").map((l) => l.text.trim())).toContain("COLOR: blue");
    expect(diff.file.filter((l) => l.op === "remove").map((l) => l.text.trim())).toContain("COLOR: green");
    expect((await callError(runtime.call("stacks.version", { name, version: 99 }))).error).toMatchObject({ code: "NOT_FOUND", field: "version" });
  });

  it("docker-compose down takes a Berth stack down: its containers and network go, its named volume stays", async () => {
    // The compose CLI manages what Berth deployed (compose 1.29 checks the network's and volume's labels first).
    const scratch = `${name}cli`;
    await runTask(runtime, runtime.call("stacks.deploy", { name: scratch, file: `services:\n  box:\n    image: busybox\n    command: ["sleep", "600"]\n    volumes: ["keep:/keep"]\nvolumes:\n  keep: {}\nnetworks:\n  default:\n    ipam:\n      config:\n        - subnet: 10.231.49.0/24\n`, owner }));
    const scratchFile = labelsOf(`${scratch}-box-1`)["com.docker.compose.project.config_files"];
    compose("-p", scratch, "-f", scratchFile, "down", "-t", "1");
    expect(namesOf(scratch)).toEqual([]);
    expect(networkNames()).not.toContain(`${scratch}_default`);
    expect(volumeNames()).toContain(`${scratch}_keep`);
    await runtime.call("stacks.down", { name: scratch, volumes: true, removeFiles: true });
    expect(volumeNames()).not.toContain(`${scratch}_keep`);
  });

  it("down keeps named volumes unless asked and removes the project network; the folder stays listed as empty", async () => {
    const down = await runtime.call("stacks.down", { name });
    expect(down.removed.containers.sort()).toEqual([`${name}-app-1`, `${name}-cache-1`, `${name}-web-1`]);
    expect(down.removed.networks).toEqual([`${name}_default`]);
    expect(down.kept.join("\n")).toContain(`${name}_data`);
    expect(namesOf(name)).toEqual([]);
    expect(networkNames()).not.toContain(`${name}_default`);
    expect(volumeNames()).toContain(`${name}_data`);
    expect((await runtime.call("stacks.list", {})).find((s) => s.name === name)).toMatchObject({ source: "berth", status: "empty" });

    const all = await runtime.call("stacks.down", { name, volumes: true, removeFiles: true });
    expect(all.removed.volumes).toEqual([`${name}_data`]);
    expect(volumeNames()).not.toContain(`${name}_data`);
    expect((await runtime.call("stacks.list", {})).find((s) => s.name === name)).toBeUndefined();
  });
});
