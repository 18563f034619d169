/**
 * Container operations (inspect, top, diff, kill, pause, rename,
 * update, commit, recreate, networks, bulk, export) through the runtime client,
 * against the private engine; the docker CLI is the oracle.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { docker, dockerQuiet as quiet, inspectFormat as fmt, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-ops-${process.pid}`;
const n = (s: string) => `${prefix}-${s}`;
const network = `${prefix}-net`;
// Inside the harness's 10.231.0.0/16 and outside its own bridge/pool (10.231.1-30 and 128-255).
const subnet = "10.231.210.0/24";
const image = `berth-ops-commit-${process.pid}`;

let runtime: StartedRuntime;
let client: RuntimeClient;

beforeAll(async () => {
  runtime = await startRuntime("ops");
  client = runtime.client;
});

afterAll(async () => {
  try {
    const ours = docker("ps", "-aq", "--filter", `name=${prefix}`).split("\n").filter(Boolean);
    if (ours.length) quiet("rm", "-f", ...ours);
    quiet("network", "rm", network);
    quiet("rmi", "-f", `${image}:v1`);
  } finally {
    // Even when the engine is gone, the runtime this file started must not outlive it.
    await runtime?.stop();
  }
});

describe("container operations", () => {
  it("inspect returns the raw inspect and the image's", async () => {
    docker("run", "-d", "--name", n("inspect"), "-e", "HELLO=world", "busybox", "sleep", "300");
    const { container, image: img } = await client.call("containers.inspect", { id: n("inspect") });
    expect(container.Name).toBe(`/${n("inspect")}`);
    expect(container.Config.Env).toContain("HELLO=world");
    expect(container.Id).toBe(fmt(n("inspect"), "{{.Id}}"));
    expect(img?.Id).toBe(fmt(n("inspect"), "{{.Image}}"));
    expect(img?.RepoTags).toContain("busybox:latest");
    const err = await callError(client.call("containers.inspect", { id: n("nope") }));
    expect(err).toMatchObject({ code: "NOT_FOUND" });
    expect(err.message).toContain(n("nope"));
  });

  it("top lists the processes, with ps arguments", async () => {
    const plain = await client.call("containers.top", { id: n("inspect") });
    expect(plain.titles).toContain("PID");
    expect(plain.processes.some((p) => p.join(" ").includes("sleep 300"))).toBe(true);
    const custom = await client.call("containers.top", { id: n("inspect"), psArgs: "-o pid,comm" });
    expect(custom.titles).toEqual(["PID", "COMMAND"]);
    const bad = await callError(client.call("containers.top", { id: n("inspect"), psArgs: "aux; rm -rf /" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", field: "psArgs" });
  });

  it("diff reports added, changed and deleted paths", async () => {
    docker("exec", n("inspect"), "sh", "-c", "echo x > /added.txt && rm /bin/wget && echo y >> /etc/hosts.extra");
    const { changes } = await client.call("containers.diff", { id: n("inspect") });
    expect(changes).toContainEqual({ path: "/added.txt", kind: "added" });
    expect(changes).toContainEqual({ path: "/bin/wget", kind: "deleted" });
    expect(changes).toContainEqual({ path: "/bin", kind: "changed" });
  });

  it("kill sends the given signal", async () => {
    // A shell that exits 42 on SIGUSR1: the exit code proves which signal came.
    docker("run", "-d", "--name", n("kill"), "busybox", "sh", "-c", "trap 'exit 42' USR1; while true; do sleep 0.1; done");
    expect(await client.call("containers.kill", { id: n("kill"), signal: "SIGUSR1" })).toMatchObject({ changed: true });
    for (let i = 0; i < 50 && fmt(n("kill"), "{{.State.Running}}") === "true"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fmt(n("kill"), "{{.State.ExitCode}}")).toBe("42");
    const bad = await callError(client.call("containers.kill", { id: n("kill"), signal: "NOT A SIGNAL" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", field: "signal" });
    const notRunning = await callError(client.call("containers.kill", { id: n("kill") }));
    expect(notRunning.code).toBe("CONFLICT");
    expect(notRunning.message).toContain(n("kill"));
  });

  it("pause and unpause", async () => {
    docker("run", "-d", "--name", n("pause"), "busybox", "sleep", "300");
    expect(await client.call("containers.pause", { id: n("pause") })).toMatchObject({ changed: true });
    expect(fmt(n("pause"), "{{.State.Status}}")).toBe("paused");
    expect(await client.call("containers.unpause", { id: n("pause") })).toMatchObject({ changed: true });
    expect(fmt(n("pause"), "{{.State.Status}}")).toBe("running");
  });

  it("rename, and refuses a name Docker would refuse or one in use", async () => {
    const r = await client.call("containers.rename", { id: n("pause"), name: n("renamed") });
    expect(r).toMatchObject({ name: n("renamed"), changed: true });
    expect(fmt(n("renamed"), "{{.Name}}")).toBe(`/${n("renamed")}`);
    const bad = await callError(client.call("containers.rename", { id: n("renamed"), name: "no spaces allowed" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", field: "name" });
    const taken = await callError(client.call("containers.rename", { id: n("renamed"), name: n("inspect") }));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.message).toContain(n("inspect"));
  });

  it("update changes memory, cpus, pids and restart policy as docker inspect shows", async () => {
    docker("run", "-d", "--name", n("update"), "busybox", "sleep", "300");
    const r = await client.call("containers.update", {
      id: n("update"),
      memory: "64m",
      cpus: "0.5",
      pidsLimit: 100,
      restartPolicy: { name: "on-failure", maximumRetryCount: 3 },
    });
    expect(r.changed).toBe(true);
    expect(fmt(n("update"), "{{.HostConfig.Memory}}")).toBe(String(64 * 1024 * 1024));
    expect(fmt(n("update"), "{{.HostConfig.MemorySwap}}")).toBe(String(128 * 1024 * 1024));
    expect(fmt(n("update"), "{{.HostConfig.NanoCpus}}")).toBe("500000000");
    expect(fmt(n("update"), "{{.HostConfig.PidsLimit}}")).toBe("100");
    expect(fmt(n("update"), "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}")).toBe("on-failure:3");
    const bad = await callError(client.call("containers.update", { id: n("update"), memory: "12 parsecs" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", field: "memory" });
    const empty = await callError(client.call("containers.update", { id: n("update") }));
    expect(empty.code).toBe("BAD_REQUEST");
  });

  it("commit makes an image with the CMD change, message and author", async () => {
    docker("run", "-d", "--name", n("commit"), "busybox", "sh", "-c", "echo committed > /marker; sleep 300");
    for (let i = 0; i < 50; i++) {
      try {
        docker("exec", n("commit"), "test", "-f", "/marker");
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const r = await client.call("containers.commit", {
      id: n("commit"),
      repository: image,
      tag: "v1",
      message: "from the test",
      author: "Berth Test <test@example.org>",
      changes: ['CMD ["cat", "/marker"]', "ENV COMMITTED=yes"],
    });
    expect(r.reference).toBe(`${image}:v1`);
    expect(r.imageId).toMatch(/^sha256:/);
    expect(docker("image", "inspect", "-f", "{{json .Config.Cmd}}", `${image}:v1`)).toBe('["cat","/marker"]');
    expect(docker("image", "inspect", "-f", "{{.Comment}}|{{.Author}}", `${image}:v1`)).toBe("from the test|Berth Test <test@example.org>");
    expect(docker("run", "--rm", `${image}:v1`)).toBe("committed");
    const bad = await callError(client.call("containers.commit", { id: n("commit"), repository: "Upper/Case" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", field: "repository" });
  });

  it("recreate keeps the name, the static IP and aliases on a user network, and the config", async () => {
    docker("network", "create", "--subnet", subnet, network);
    docker("run", "-d", "--name", n("recreate"), "--network", network, "--ip", "10.231.210.50", "--network-alias", "db-alias",
      "-e", "KEEP=me", "-l", "berth.test=1", "--restart", "unless-stopped", "--stop-timeout", "1", "-m", "32m", "-v", "/data", "busybox", "sleep", "300");
    docker("exec", n("recreate"), "sh", "-c", "echo kept > /data/file");
    const oldId = fmt(n("recreate"), "{{.Id}}");
    const r = await client.call("containers.recreate", { id: n("recreate"), pull: true });
    expect(r).toMatchObject({ name: n("recreate"), oldId, pulled: true, started: true });
    expect(r.id).not.toBe(oldId);
    expect(fmt(n("recreate"), "{{.Id}}")).toBe(r.id);
    expect(fmt(n("recreate"), "{{.State.Running}}")).toBe("true");
    expect(fmt(n("recreate"), `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`)).toBe("10.231.210.50");
    expect(fmt(n("recreate"), `{{json (index .NetworkSettings.Networks "${network}").Aliases}}`)).toContain("db-alias");
    expect(fmt(n("recreate"), "{{json .Config.Env}}")).toContain("KEEP=me");
    expect(fmt(n("recreate"), '{{index .Config.Labels "berth.test"}}')).toBe("1");
    expect(fmt(n("recreate"), "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}}")).toBe(`unless-stopped ${32 * 1024 * 1024}`);
    // The anonymous volume's data survives.
    expect(docker("exec", n("recreate"), "cat", "/data/file")).toBe("kept");
    expect(() => docker("inspect", oldId)).toThrow();
    // Nothing left aside.
    expect(docker("ps", "-a", "--filter", `name=${n("recreate")}-berth-old`, "-q")).toBe("");
  });

  it("recreate changes nothing when the pull fails, and restores the old container when the new one cannot be made", async () => {
    // Only local, not in the registry: the pull fails before anything is touched.
    docker("create", "--name", n("local-only"), `${image}:v1`);
    const oldId = fmt(n("local-only"), "{{.Id}}");
    const pull = await callError(client.call("containers.recreate", { id: n("local-only"), pull: true }));
    expect(pull.message).toContain(`pulling image ${image}:v1 failed`);
    expect(fmt(n("local-only"), "{{.Id}}")).toBe(oldId);

    // Its bind source removed under it: the engine refuses to create the new one (invalid mount).
    const source = fs.mkdtempSync(path.join(os.tmpdir(), "berth-ops-bind-"));
    docker("create", "--name", n("restore"), "--mount", `type=bind,source=${source},target=/x`, "busybox", "sleep", "300");
    const restoreId = fmt(n("restore"), "{{.Id}}");
    fs.rmSync(source, { recursive: true });
    const err = await callError(client.call("containers.recreate", { id: n("restore") }));
    expect(err.message).toMatch(/creating the new container failed; the old one was restored/);
    expect(fmt(restoreId, "{{.Name}}")).toBe(`/${n("restore")}`);
    expect(fmt(restoreId, "{{.State.Status}}")).toBe("created");
    expect(docker("ps", "-aq", "--filter", `name=${n("restore")}`).split("\n")).toHaveLength(1);
  });

  it("connects to and disconnects from a network with an IP and aliases", async () => {
    docker("run", "-d", "--name", n("net"), "busybox", "sleep", "300");
    const r = await client.call("containers.networkConnect", { id: n("net"), network, ipv4: "10.231.210.70", aliases: ["web-alias"] });
    expect(r).toMatchObject({ changed: true, network });
    expect(fmt(n("net"), `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`)).toBe("10.231.210.70");
    expect(fmt(n("net"), `{{json (index .NetworkSettings.Networks "${network}").Aliases}}`)).toContain("web-alias");
    await client.call("containers.networkDisconnect", { id: n("net"), network });
    expect(fmt(n("net"), "{{json .NetworkSettings.Networks}}")).not.toContain(network);
    const bad = await callError(client.call("containers.networkConnect", { id: n("net"), network, ipv4: "10.231.999" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", field: "ipv4" });
  });

  it("bulk reports each container, one failure beside the others", async () => {
    for (const s of ["b1", "b2", "b3"]) docker("run", "-d", "--name", n(s), "busybox", "sleep", "300");
    const ids = [n("b1"), n("b2"), n("does-not-exist"), n("b3")];
    const stop = await client.call("containers.bulk", { action: "stop", ids, timeout: 0 });
    expect(stop.results).toHaveLength(4);
    expect(stop.results.filter((x) => x.ok)).toHaveLength(3);
    const bad = stop.results[2];
    expect(bad).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(bad.error).toContain(n("does-not-exist"));
    for (const s of ["b1", "b2", "b3"]) expect(fmt(n(s), "{{.State.Running}}")).toBe("false");

    const start = await client.call("containers.bulk", { action: "start", ids: [n("b1"), n("b2")] });
    expect(start.results.every((x) => x.ok && x.changed)).toBe(true);
    const pause = await client.call("containers.bulk", { action: "pause", ids: [n("b1"), n("b3")] });
    expect(pause.results.map((x) => x.ok)).toEqual([true, false]);
    expect(fmt(n("b1"), "{{.State.Status}}")).toBe("paused");
    const remove = await client.call("containers.bulk", { action: "remove", ids: [n("b1"), n("b2"), n("b3")], force: true });
    expect(remove.results.every((x) => x.ok)).toBe(true);
    expect(docker("ps", "-aq", "--filter", `name=${n("b")}`)).toBe("");
    const empty = await callError(client.call("containers.bulk", { action: "stop", ids: [] }));
    expect(empty).toMatchObject({ code: "BAD_REQUEST", field: "ids" });
  });

  it("restart counts come from inspect", async () => {
    const counts = await client.call("containers.restartCounts", { ids: [fmt(n("inspect"), "{{.Id}}")] });
    expect(Object.values(counts)).toEqual([0]);
  });

  it("export streams the filesystem as a tar", async () => {
    const res = await client.get(`/export/containers/${n("inspect")}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-tar");
    let size = 0;
    let head: Buffer | undefined;
    for await (const chunk of res) {
      head ??= chunk as Buffer;
      size += (chunk as Buffer).length;
    }
    expect(size).toBeGreaterThan(1024);
    // A tar header: "ustar" at offset 257.
    expect(head!.subarray(257, 262).toString()).toBe("ustar");
    const missing = await client.get(`/export/containers/${n("nope")}`);
    expect(missing.statusCode).toBe(404);
    missing.resume();
  });
});
