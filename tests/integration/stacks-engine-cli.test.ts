/**
 * The stack engine, part two: a project the compose CLI started is listed as
 * cli and adoptable, adopted (version 1 with its running images), then taken
 * down by Berth (the docker CLI confirms its containers and network are gone);
 * an unreadable file refuses adoption naming `name`; replicas and scale;
 * service_completed_successfully; a failing healthcheck fails the deploy
 * naming the service; a `build:` service built from the stack folder.
 * Subnets 10.231.41.0/24–10.231.43.0/24.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { freePort } from "../support/free-port";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";
import { compose, labelsOf, namesOf, networkNames, owner, resultOf, runTask } from "./stacks-helpers";

requirePrivateEngine();

const base = `berthsc${process.pid}`;
const cliName = `${base}-cli`;
const lostName = `${base}-lost`;
const sleeper = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;
let runtime: RuntimeClient;
let started: StartedRuntime;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "berth-sc-"));
const forgedName = `${base}-forged`;
const projects = [forgedName, cliName, lostName, `${base}-scale`, `${base}-done`, `${base}-sick`, `${base}-built`, `${base}-busy`];

const subnet = (third: number) => `networks:
  default:
    ipam:
      config:
        - subnet: 10.231.${third}.0/24
`;

const deploy = (name: string, file: string, expectOk = true, env = "") => runTask(runtime, runtime.call("stacks.deploy", { name, file, env, owner }), expectOk);

beforeAll(async () => {
  started = await startRuntime("sc");
  runtime = started.client;
});

afterAll(async () => {
  for (const p of projects) {
    const ours = namesOf(p);
    if (ours.length) dockerQuiet("rm", "-f", ...ours);
    dockerQuiet("network", "rm", `${p}_default`);
  }
  dockerQuiet("rmi", `${base}-built_tool`);
  fs.rmSync(tmp, { recursive: true, force: true });
  await started?.stop();
});

describe("stacks engine: CLI projects", () => {
  it("lists a docker-compose project as cli and adoptable, adopts it, and Berth's down removes it", async () => {
    const dir = path.join(tmp, "cli");
    fs.mkdirSync(dir);
    const file = `version: "3.8"\nservices:\n  box:\n    image: busybox\n    command: ${sleeper}\n    environment:\n      GREETING: \${GREETING}\n${subnet(41)}`;
    fs.writeFileSync(path.join(dir, "docker-compose.yml"), file);
    fs.writeFileSync(path.join(dir, ".env"), "GREETING=hello\n");
    compose("-p", cliName, "-f", path.join(dir, "docker-compose.yml"), "up", "-d");

    const listed = (await runtime.call("stacks.list", {})).find((s) => s.name === cliName);
    expect(listed).toMatchObject({ source: "cli", status: "running", adoptable: true, workingDir: dir, configFiles: [path.join(dir, "docker-compose.yml")] });
    expect((await runtime.call("stacks.get", { name: cliName })).networks.map((n) => n.name)).toEqual([`${cliName}_default`]);

    const adopted = await runtime.call("stacks.adopt", { name: cliName, owner });
    expect(adopted).toMatchObject({ name: cliName, version: 1, file });
    const v1 = await runtime.call("stacks.version", { name: cliName, version: 1 });
    expect(v1).toMatchObject({ action: "adopt", env: "GREETING=hello\n", by: owner });
    expect(v1.digests.box).toMatch(/^(busybox@)?sha256:[a-f0-9]{64}$/);
    expect((await runtime.call("stacks.list", {})).find((s) => s.name === cliName)).toMatchObject({ source: "berth", adoptable: false });
    expect((await callError(runtime.call("stacks.adopt", { name: cliName, owner }))).error.code).toBe("CONFLICT");

    // The containers were not touched by the adoption; an Update relabels them as Berth's (compose 1.29 named it NAME_box_1).
    expect(namesOf(cliName)).toEqual([`${cliName}_box_1`]);
    await deploy(cliName, adopted.file, true, v1.env);
    expect(namesOf(cliName)).toEqual([`${cliName}-box-1`]);
    expect(docker("inspect", "-f", "{{json .Config.Env}}", `${cliName}-box-1`)).toContain("GREETING=hello");
    expect(docker("inspect", "-f", '{{index .Config.Labels "com.docker.compose.project.config_files"}}', `${cliName}-box-1`)).toBe(path.join(started.dataDir, "stacks", cliName, "compose.yaml"));

    const down = await runtime.call("stacks.down", { name: cliName });
    expect(down.removed.containers).toEqual([`${cliName}-box-1`]);
    expect(namesOf(cliName)).toEqual([]);
    expect(networkNames()).not.toContain(`${cliName}_default`);
  });

  it("refuses to adopt a project whose file is not readable here, naming name with the hint", async () => {
    const dir = path.join(tmp, "lost");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "docker-compose.yml"), `services:\n  box:\n    image: busybox\n    command: ${sleeper}\n${subnet(42)}`);
    compose("-p", lostName, "-f", path.join(dir, "docker-compose.yml"), "up", "-d");
    fs.rmSync(dir, { recursive: true });
    const listed = (await runtime.call("stacks.list", {})).find((s) => s.name === lostName);
    expect(listed).toMatchObject({ source: "cli", adoptable: false });
    expect(listed?.adoptHint).toContain("is not readable here");
    const err = await callError(runtime.call("stacks.adopt", { name: lostName, owner }));
    expect(err.error).toMatchObject({ code: "BAD_REQUEST", field: "name" });
    expect(err.message).toContain(path.join(dir, "docker-compose.yml"));
    await runtime.call("stacks.down", { name: lostName });
    expect(namesOf(lostName)).toEqual([]);
  });
  it("refuses to adopt what labels merely claim: a file in Berth's data directory, or a file that is not a compose project", async () => {
    // Anyone who may run a container can write these labels: adoption must not import arbitrary host files.
    const secret = path.join(started.dataDir, "stack-adopt-secret.txt");
    fs.writeFileSync(secret, "services:\n  x:\n    image: busybox\n");
    const notCompose = path.join(tmp, "notes.txt");
    fs.writeFileSync(notCompose, "top secret line one\n");
    const run = (file: string) =>
      docker("run", "-d", "--label", `com.docker.compose.project=${forgedName}`, "--label", "com.docker.compose.service=x", "--label", "com.docker.compose.oneoff=False",
        "--label", `com.docker.compose.project.config_files=${file}`, "--label", `com.docker.compose.project.working_dir=${path.dirname(file)}`, "busybox", "sleep", "600");
    const id = run(secret);
    const inData = await callError(runtime.call("stacks.adopt", { name: forgedName, owner }));
    expect(inData.error).toMatchObject({ code: "BAD_REQUEST", field: "name" });
    expect(inData.message).toContain("data directory");
    dockerQuiet("rm", "-f", id);
    run(notCompose);
    const garbage = await callError(runtime.call("stacks.adopt", { name: forgedName, owner }));
    expect(garbage.error).toMatchObject({ code: "BAD_REQUEST" });
    expect(garbage.message).not.toContain("top secret");
    // Nothing was imported either time.
    expect((await runtime.call("stacks.list", {})).find((s) => s.name === forgedName)).toMatchObject({ source: "cli" });
  });
});

describe("stacks engine: replicas, conditions, health, build", () => {
  it("deploys replicas and scales up and down", async () => {
    const name = `${base}-scale`;
    await deploy(name, `services:\n  box:\n    image: busybox\n    command: ${sleeper}\n    labels: ["io.berth.access=stolen", "keep=me"]\n    deploy:\n      replicas: 2\n${subnet(43)}`);
    expect(namesOf(name)).toEqual([`${name}-box-1`, `${name}-box-2`]);
    // Without a control id, Berth's access label is stripped, whatever the file says.
    expect(labelsOf(`${name}-box-2`)).toMatchObject({ keep: "me", "com.docker.compose.container-number": "2" });
    expect(labelsOf(`${name}-box-2`)["io.berth.access"]).toBeUndefined();
    const up = await runTask(runtime, runtime.call("stacks.scale", { name, service: "box", replicas: 3, owner }));
    expect(resultOf(up).services).toEqual([expect.objectContaining({ name: "box", action: "scaled" })]);
    expect(namesOf(name)).toEqual([`${name}-box-1`, `${name}-box-2`, `${name}-box-3`]);
    await runTask(runtime, runtime.call("stacks.scale", { name, service: "box", replicas: 1, owner }));
    expect(namesOf(name)).toEqual([`${name}-box-1`]);
    expect((await callError(runtime.call("stacks.scale", { name, service: "nope", replicas: 1, owner }))).error).toMatchObject({ code: "NOT_FOUND", field: "service" });
    await runtime.call("stacks.down", { name, removeFiles: true });
  });

  it("starts a service after another completed successfully, and fails naming it when it exits non-zero", async () => {
    const name = `${base}-done`;
    const file = (code: number) =>
      `services:\n  init:\n    image: busybox\n    command: ["sh", "-c", "sleep 1; exit ${code}"]\n  main:\n    image: busybox\n    command: ${sleeper}\n    depends_on:\n      init:\n        condition: service_completed_successfully\n${subnet(43)}`;
    await deploy(name, file(0));
    expect(docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", `${name}-init-1`)).toBe("exited 0");
    expect(docker("inspect", "-f", "{{.State.Status}}", `${name}-main-1`)).toBe("running");
    await runtime.call("stacks.down", { name });

    const failed = await deploy(name, file(3), false);
    expect(failed.state).toBe("failed");
    expect(failed.error?.message).toMatch(/service main depends on init \(service_completed_successfully\).*exited with code 3/);
    expect(namesOf(name)).toEqual([`${name}-init-1`]);
    await runtime.call("stacks.down", { name, removeFiles: true });
  });

  it("fails the deploy naming the service whose healthcheck fails", async () => {
    const name = `${base}-sick`;
    const file = `services:\n  db:\n    image: busybox\n    command: ${sleeper}\n    healthcheck:\n      test: ["CMD", "false"]\n      interval: 1s\n      retries: 2\n  api:\n    image: busybox\n    command: ${sleeper}\n    depends_on:\n      db:\n        condition: service_healthy\n${subnet(43)}`;
    const t = await deploy(name, file, false);
    expect(t.state).toBe("failed");
    expect(t.error?.message).toMatch(/service api depends on db \(service_healthy\): service db: container \S+-db-1 is unhealthy/);
    expect(namesOf(name)).toEqual([`${name}-db-1`]);
    expect((await runtime.call("stacks.versions", { name })).length).toBe(0);
    expect((await runtime.call("stacks.list", {})).find((s) => s.name === name)).toMatchObject({ status: "running" });
    await runtime.call("stacks.down", { name, removeFiles: true });
  });

  it("a container that cannot start fails the deploy naming its service, leaves it created, and the runtime goes on", async () => {
    const name = `${base}-busy`;
    const port = await freePort();
    const holder = net.createServer().listen(port, "127.0.0.1");
    await new Promise((r) => holder.once("listening", r));
    try {
      const t = await deploy(name, `services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:${port}:80"]\n${subnet(43)}`, false);
      expect(t.state).toBe("failed");
      expect(t.error?.message).toMatch(new RegExp(`^service web: container ${name}-web-1: .*(${port}|address already in use|port is already allocated)`));
      expect(docker("inspect", "-f", "{{.State.Status}}", `${name}-web-1`)).toBe("created");
      expect((await runtime.call("stacks.get", { name })).services[0].containers).toHaveLength(1);
    } finally {
      holder.close();
    }
    await runtime.call("stacks.down", { name, removeFiles: true });
    expect(namesOf(name)).toEqual([]);
  });

  it("builds a build: service from the stack folder and down removes the local image", async () => {
    const name = `${base}-built`;
    const folder = path.join(started.dataDir, "stacks", name, "tool");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "Dockerfile"), "FROM busybox\nCOPY hello.txt /hello.txt\nCMD [\"sh\", \"-c\", \"cat /hello.txt; sleep 3600\"]\n");
    fs.writeFileSync(path.join(folder, "hello.txt"), "built by berth\n");
    await deploy(name, `services:\n  tool:\n    build: ./tool\n    stop_grace_period: 1s\n${subnet(43)}`);
    expect(docker("inspect", "-f", "{{.Config.Image}}", `${name}-tool-1`)).toBe(`${name}_tool`);
    expect(docker("exec", `${name}-tool-1`, "cat", "/hello.txt")).toBe("built by berth");
    const down = await runtime.call("stacks.down", { name, images: "local", removeFiles: true });
    expect(down.removed.images).toEqual([`${name}_tool`]);
    expect(() => docker("image", "inspect", `${name}_tool`)).toThrow();
  });
});
