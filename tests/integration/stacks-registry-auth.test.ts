/**
 * A stack whose image lives on a registry that needs a login: the deploy pulls
 * it with the credentials the dashboard passes (as `docker pull` after
 * `docker login`), and without them the task fails saying so, the runtime
 * answering on; a `build:` service whose FROM is there builds with the logins.
 * A docker-registry with htpasswd is started here (auth-registry.ts).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthRegistry, startAuthRegistry } from "./auth-registry";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";
import { owner, runTask } from "./stacks-helpers";

requirePrivateEngine();

const USER = "berth";
const PASS = `pw-${process.pid}-stack`;
const name = `berthsa${process.pid}`;
const built = `berthsb${process.pid}`;
let dir = "";
let reg = "";
let image = "";
let authRegistry: AuthRegistry | undefined;
let rt: StartedRuntime;

beforeAll(async () => {
  authRegistry = await startAuthRegistry(USER, PASS);
  reg = authRegistry.address;
  dir = authRegistry.dir;
  image = `${reg}/test/busybox:stack`;
  // Push with a login kept in a config of our own (never the machine's ~/.docker), then drop the local copy.
  const env = { ...process.env, DOCKER_CONFIG: path.join(dir, "docker-config") };
  execFileSync("docker", ["login", "-u", USER, "--password-stdin", reg], { input: PASS, env, stdio: ["pipe", "ignore", "pipe"] });
  docker("tag", "busybox", image);
  execFileSync("docker", ["push", image], { env, stdio: "ignore" });
  docker("rmi", image);
  rt = await startRuntime("stacks-registry-auth");
});

afterAll(async () => {
  await rt?.client.call("stacks.down", { name, volumes: true, images: "none", removeFiles: true }).catch(() => undefined);
  await rt?.client.call("stacks.down", { name: built, volumes: true, images: "local", removeFiles: true }).catch(() => undefined);
  await rt?.stop();
  dockerQuiet("rmi", "-f", image);
  await authRegistry?.stop();
});

describe("a stack's image on a registry that needs a login", () => {
  const file = () => `services:\n  app:\n    image: ${image}\n    command: ["sleep", "600"]\n`;

  it("without credentials the deploy fails naming the service and the image, and nothing is running", async () => {
    const t = await runTask(rt.client, rt.client.call("stacks.deploy", { name, file: file(), owner }), false);
    expect(t.state).toBe("failed");
    expect(t.error?.message).toContain(`service app: image ${image}`);
    expect(t.error?.message).toMatch(/auth|credentials|unauthorized/i);
    expect(docker("ps", "-a", "-q", "--filter", `label=com.docker.compose.project=${name}`)).toBe("");
  });

  it("with the registry's credentials it pulls and runs", async () => {
    const auth = { username: USER, password: PASS, serveraddress: reg };
    await runTask(rt.client, rt.client.call("stacks.deploy", { name, file: file(), owner, auths: { [image]: auth } }));
    expect(docker("inspect", "-f", "{{.State.Running}}", `${name}-app-1`)).toBe("true");
    // The credentials are not kept with the stack's version.
    const v = await rt.client.call("stacks.version", { name, version: 1 });
    expect(JSON.stringify(v)).not.toContain(PASS);
  });

  it("a build: service whose FROM is on that registry builds with the logins passed as X-Registry-Config, and fails without", async () => {
    // The build context must be in the stack's folder: written there before the deploy, as a person would.
    const context = path.join(rt.dataDir, "stacks", built, "app");
    fs.mkdirSync(context, { recursive: true });
    fs.writeFileSync(path.join(context, "Dockerfile"), `FROM ${image}\nCMD ["sleep", "600"]\n`);
    const file = `services:\n  app:\n    build: ./app\n`;
    dockerQuiet("rmi", "-f", image);
    const without = await runTask(rt.client, rt.client.call("stacks.deploy", { name: built, file, owner }), false);
    expect(without.state).toBe("failed");
    expect(without.error?.message).toMatch(/auth|credentials|unauthorized/i);
    const registryConfig = Buffer.from(JSON.stringify({ [reg]: { username: USER, password: PASS } })).toString("base64");
    await runTask(rt.client, rt.client.call("stacks.deploy", { name: built, file, owner, registryConfig }));
    expect(docker("inspect", "-f", "{{.State.Running}}", `${built}-app-1`)).toBe("true");
  });
});
