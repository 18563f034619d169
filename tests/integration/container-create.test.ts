/**
 * containers.create and the way back (spec, runCommand, images.defaults) through the
 * runtime client, against the private engine; the docker CLI is the oracle. Each
 * error must name its object and, where the form has one, its field.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuntimeClient } from "../../server/engines/runtime-client";
import { freePort } from "../support/free-port";
import { docker, dockerQuiet as quiet, inspectFormat as fmt, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-cc-${process.pid}`;
const n = (s: string) => `${prefix}-${s}`;
const network = `${prefix}-net`;
// Inside the harness's 10.231.0.0/16, apart from its own pools and the other tests' subnets.
const subnet = "10.231.220.0/24";

let runtime: StartedRuntime;
let client: RuntimeClient;

beforeAll(async () => {
  runtime = await startRuntime("cc");
  client = runtime.client;
  quiet("network", "rm", network);
  docker("network", "create", "--subnet", subnet, network);
});

afterAll(async () => {
  try {
    const ours = docker("ps", "-aq", "--filter", `name=${prefix}`).split("\n").filter(Boolean);
    if (ours.length) quiet("rm", "-f", ...ours);
    quiet("network", "rm", network);
    quiet("volume", "rm", "-f", n("data"));
  } finally {
    // Even when the engine is gone, the runtime this file started must not outlive it.
    await runtime?.stop();
  }
});

describe("containers.create", () => {
  it("creates and starts, exactly as asked; the command and spec come back", async () => {
    const port = await freePort();
    const spec = {
      name: n("web"), image: "nginx", detach: true, env: ["GREETING=hello world"], restart: "unless-stopped",
      ports: [{ hostIp: "127.0.0.1", hostPort: port, containerPort: 80 }], volumes: [{ source: n("data"), target: "/data" }],
    };
    const r = await client.call("containers.create", { spec });
    expect(r).toMatchObject({ name: n("web"), started: true, pulled: false });
    expect(fmt(n("web"), "{{.State.Running}} {{.HostConfig.RestartPolicy.Name}}")).toBe("true unless-stopped");
    expect(fmt(n("web"), "{{json .HostConfig.PortBindings}}")).toBe(`{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"${port}"}]}`);
    expect(fmt(n("web"), "{{range .Mounts}}{{.Name}}:{{.Destination}}{{end}}")).toBe(`${n("data")}:/data`);
    expect(docker("inspect", "-f", "{{json .Config.Env}}", n("web"))).toContain("GREETING=hello world");

    const cmd = await client.call("containers.runCommand", { id: r.id });
    expect(cmd.command).toBe(
      `docker run -d --name ${n("web")} -e 'GREETING=hello world' --restart unless-stopped -p 127.0.0.1:${port}:80 -v ${n("data")}:/data nginx`,
    );
    expect(cmd.multiline).toContain(" \\\n  -p ");
    expect(cmd.caveats).toEqual([]);
    expect(await client.call("containers.spec", { id: r.id })).toEqual({ ...spec, env: ["GREETING=hello world"] });
  });

  it("createOnly creates without starting", async () => {
    const r = await client.call("containers.create", { spec: { name: n("only"), image: "busybox", detach: true }, createOnly: true });
    expect(r.started).toBe(false);
    expect(fmt(n("only"), "{{.State.Status}}")).toBe("created");
  });

  it("reports every invalid field before calling Docker, the first as `field`", async () => {
    const err = await callError(client.call("containers.create", { spec: { image: "busybox", memory: "12x", ports: [{ containerPort: 70000 }] } }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/memory: invalid size "12x"/);
    expect(err.message).toMatch(/ports\[0\]\.containerPort: must be between 1 and 65535/);
    expect(err.field).toBeDefined();
  });

  it("an image that is nowhere: not found, and says Berth tried to pull it", async () => {
    const err = await callError(client.call("containers.create", { spec: { name: n("noimg"), image: "berth-no-such-image:1" } }));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.field).toBe("image");
    expect(err.message).toMatch(/image "berth-no-such-image:1" not found: .*Berth tried to pull it/);
    expect(docker("ps", "-aq", "--filter", `name=${n("noimg")}`)).toBe("");
  });

  it("an invalid reference: names the image", async () => {
    const err = await callError(client.call("containers.create", { spec: { image: "Busybox:UPPER" } }));
    expect(err.field).toBe("image");
    expect(err.message).toMatch(/invalid reference format/);
  });

  it("a name in use: conflict, with the id of the container that holds it", async () => {
    const holder = docker("create", "--name", n("taken"), "busybox");
    const err = await callError(client.call("containers.create", { spec: { name: n("taken"), image: "busybox" } }));
    expect(err.code).toBe("CONFLICT");
    expect(err.field).toBe("name");
    expect(err.error.containerId).toBe(holder);
    expect(err.message).toContain(`name "${n("taken")}" is already in use by container ${holder.slice(0, 12)}`);
  });

  it("a host port a running container holds: which one, by whom, before creating", async () => {
    const port = await freePort();
    docker("run", "-d", "--name", n("holder"), "-p", `127.0.0.1:${port}:80`, "nginx");
    const err = await callError(
      client.call("containers.create", { spec: { name: n("clash"), image: "nginx", ports: [{ hostIp: "127.0.0.1", hostPort: port, containerPort: 80 }] } }),
    );
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.field).toBe("ports[0].hostPort");
    expect(err.message).toContain(`host port ${port}/tcp is already allocated by container ${n("holder")}`);
    expect(docker("ps", "-aq", "--filter", `name=${n("clash")}`)).toBe("");
  });

  it("an IP outside the network's subnet, and a network that does not exist", async () => {
    const outside = await callError(client.call("containers.create", { spec: { image: "busybox", network, ip: "10.231.221.5" } }));
    expect(outside.field).toBe("ip");
    expect(outside.message).toBe(`ip: 10.231.221.5 is outside network ${network}'s subnet ${subnet}`);
    const missing = await callError(client.call("containers.create", { spec: { image: "busybox", network: n("nonet") } }));
    expect(missing.field).toBe("network");
    expect(missing.message).toContain(`network "${n("nonet")}" does not exist`);
    const from = await callError(client.call("containers.create", { spec: { image: "busybox", volumesFrom: [{ container: n("nobody") }] } }));
    expect(from.field).toBe("volumesFrom[0].container");

    const r = await client.call("containers.create", { spec: { name: n("inside"), image: "busybox", network, ip: "10.231.220.9" }, createOnly: true });
    expect(fmt(r.id, `{{(index .NetworkSettings.Networks "${network}").IPAMConfig.IPv4Address}}`)).toBe("10.231.220.9");
  });

  it("an invalid mount: the engine's reason, named as a mount", async () => {
    const err = await callError(
      client.call("containers.create", { spec: { image: "busybox", mounts: [{ type: "bind", source: `/nonexistent-${prefix}`, target: "/x" }] } }),
    );
    expect(err.field).toBe("mounts");
    expect(err.message).toMatch(/^invalid mount: .*bind source path does not exist/);
  });

  it("created but not started: both steps reported, the container left there with its id", async () => {
    // A host port taken outside Docker: no running container holds it, so only the start can find out.
    const port = await freePort();
    const server = net.createServer().listen(port, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const err = await callError(
        client.call("containers.create", { spec: { name: n("nostart"), image: "nginx", ports: [{ hostIp: "127.0.0.1", hostPort: port, containerPort: 80 }] } }),
      );
      expect(err.error.created).toBe(true);
      const id = fmt(n("nostart"), "{{.Id}}");
      expect(err.error.containerId).toBe(id);
      expect(err.message).toContain(`container ${n("nostart")} (${id.slice(0, 12)}) was created but did not start: host port 127.0.0.1:${port} is already allocated`);
      expect(err.field).toBe("ports");
      expect(fmt(n("nostart"), "{{.State.Status}}")).toBe("created");
    } finally {
      server.close();
    }
  });

  it("pulls a missing image and says so; Always pull pulls a present one", async () => {
    quiet("rmi", "-f", "redis:latest");
    const r = await client.call("containers.create", { spec: { name: n("pulled"), image: "redis" }, createOnly: true });
    expect(r.pulled).toBe(true);
    const again = await client.call("containers.create", { spec: { name: n("always"), image: "redis", alwaysPull: true }, createOnly: true });
    expect(again.pulled).toBe(true);
  });
});

describe("images.defaults", () => {
  it("reads the image's own CMD, ports and so on, and says when it is not here", async () => {
    const d = await client.call("images.defaults", { image: "nginx" });
    expect(d.present).toBe(true);
    expect(d.exposedPorts).toContain("80/tcp");
    expect(d.cmd?.length).toBeGreaterThan(0);
    expect(await client.call("images.defaults", { image: "berth-no-such-image:1" })).toEqual({ image: "berth-no-such-image:1", present: false });
  });

  it("lists networks with their subnets for the form", async () => {
    const o = await client.call("containers.createOptions", {});
    expect(o.networks.find((x) => x.name === network)?.subnets).toEqual([subnet]);
    expect(o.images).toContain("nginx:latest");
  });
});
