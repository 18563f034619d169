/**
 * Container templates deployed through the templates router, the real runtime
 * and the private engine (the docker CLI as the oracle): the built-in Nginx
 * answers on the chosen 127.0.0.1 port and the answer names the published port
 * for the Open link; Redis gets its named volume; a taken port fails the
 * preflight (BAD_REQUEST on `override`); Elasticsearch gets exactly its env,
 * ports, memory limit and volume, a failed vm.max_map_count check overridden
 * and audited; the Redis Cluster stack renders into what the runtime's check
 * accepts. (Deploying a stack template needs the stack engine: e2e covers it.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMigratedDatabase } from "../support/migrated-db";
import { freePort } from "../support/free-port";
import type { appRouter } from "../../server/api/routers/index";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-tpl-deploy-"));
const P = `berth-tpl-${process.pid}`;
let runtime: StartedRuntime;
let caller: ReturnType<AppRouter["createCaller"]>;
let db: typeof import("../../server/db").db;
const names: string[] = [];
type AppRouter = typeof appRouter;

beforeAll(async () => {
  useMigratedDatabase(path.join(dir, "berth.db"));
  process.env.BERTH_DATA_DIR = dir;
  process.env.BERTH_TEMPLATES_DIR = path.resolve(import.meta.dirname, "../../public/templates");
  db = (await import("../../server/db")).db;
  const { addConnection } = await import("../../server/engines/registry");
  const { appRouter } = await import("../../server/api/routers/index");
  const { createCallerFactory } = await import("../../server/api/trpc");
  await db.environment.create({ data: { id: "local", name: "local" } });
  const admin = await db.user.create({ data: { username: "admin", passwordHash: "x", role: "admin" } });
  runtime = await startRuntime("templates");
  // The live cache is the dashboard's own (fed by events): a create that is not interrupted never reads it.
  addConnection({ id: "local", name: "local", kind: "local", dockerHost: process.env.DOCKER_HOST ?? "", runtime: runtime.client, live: { find: () => undefined, close: () => {} } as never });
  caller = createCallerFactory(appRouter)({ user: { id: admin.id, username: "admin", role: "admin" } as never, sourceIp: "127.0.0.1", audit: {} });
}, 60_000);

afterAll(async () => {
  for (const n of names) dockerQuiet("rm", "-f", "-v", n);
  for (const n of names) dockerQuiet("volume", "rm", `${n}-data`);
  await runtime?.stop();
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const idOf = async (title: string) => (await caller.templates.list({ env: "local" })).templates.find((t) => t.title === title)!.id;

describe("container templates through the router", () => {
  it("Nginx answers on the chosen port, and the answer names it", async () => {
    const port = await freePort();
    const name = `${P}-nginx`;
    names.push(name);
    const r = await caller.templates.deployContainer({ env: "local", id: await idOf("Nginx"), values: { name, env: {}, ports: [`127.0.0.1:${port}:80/tcp`] } });
    expect(r).toMatchObject({ kind: "container", name });
    expect(r.ports).toEqual([{ hostIp: "127.0.0.1", hostPort: port, containerPort: 80, protocol: "tcp" }]);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toMatch(/nginx/i);
    expect(docker("inspect", "-f", "{{.Config.Image}} {{.HostConfig.RestartPolicy.Name}}", name)).toBe("nginx:latest unless-stopped");
  });

  it("Redis gets a named volume, and a taken port fails the preflight, naming override", async () => {
    const port = await freePort();
    const name = `${P}-redis`;
    names.push(name);
    const id = await idOf("Redis");
    await caller.templates.deployContainer({ env: "local", id, values: { name, env: {}, ports: [`127.0.0.1:${port}:6379/tcp`] } });
    expect(docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", name)).toBe(`volume ${name}-data /data`);

    const second = `${P}-redis2`;
    names.push(second);
    const err = await caller.templates.deployContainer({ env: "local", id, values: { name: second, env: {}, ports: [`127.0.0.1:${port}:6379/tcp`] } }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; cause?: { field?: string } },
    );
    expect(err?.code).toBe("BAD_REQUEST");
    expect(err?.message).toMatch(new RegExp(`^override: the preflight failed: .*${port}`));
    expect(err?.cause?.field).toBe("override");
    expect(() => docker("inspect", second)).toThrow();
  });

  it("Elasticsearch runs with exactly the template's env, ports, memory limit and volume; a failed vm.max_map_count check is overridden and audited", async () => {
    const [http, transport] = [await freePort(), await freePort()];
    const name = `${P}-es`;
    names.push(name);
    const id = await idOf("Elasticsearch");
    const values = { name, env: {}, ports: [`127.0.0.1:${http}:9200/tcp`, `127.0.0.1:${transport}:9300/tcp`] };
    // The engine's host is this one: its kernel decides whether the check passes.
    const lowMapCount = Number(fs.readFileSync("/proc/sys/vm/max_map_count", "utf8")) < 262_144;
    if (lowMapCount) {
      const refused = await caller.templates.deployContainer({ env: "local", id, values }).then(() => undefined, (e: unknown) => e as { code: string; message: string });
      expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/vm\.max_map_count[\s\S]*sysctl -w vm\.max_map_count=262144/) });
    }
    const r = await caller.templates.deployContainer({ env: "local", id, values, override: lowMapCount });
    expect(r.ports).toEqual(expect.arrayContaining([{ hostIp: "127.0.0.1", hostPort: http, containerPort: 9200, protocol: "tcp" }, { hostIp: "127.0.0.1", hostPort: transport, containerPort: 9300, protocol: "tcp" }]));
    const env = JSON.parse(docker("inspect", "-f", "{{json .Config.Env}}", name)) as string[];
    expect(env).toEqual(expect.arrayContaining(["discovery.type=single-node", "ES_JAVA_OPTS=-Xms256m -Xmx512m"]));
    expect(docker("inspect", "-f", "{{.HostConfig.Memory}}", name)).toBe(String(1024 ** 3));
    expect(docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", name)).toBe(`volume ${name}-data /usr/share/elasticsearch/data`);
    let answer = "";
    for (let i = 0; i < 50 && !answer; i++) {
      answer = await fetch(`http://127.0.0.1:${http}/`).then((x) => x.text(), () => "");
      if (!answer) await new Promise((res) => setTimeout(res, 100));
    }
    expect(answer).toMatch(/cluster_name|tagline|version/);
    const entry = await db.auditEntry.findFirst({ where: { action: "container.create", targetName: name, outcome: "ok" } });
    const details = JSON.parse(entry!.details!) as { template: string; override?: boolean; failedChecks?: string[] };
    expect(details.template).toBe(id);
    if (lowMapCount) expect(details).toMatchObject({ override: true, failedChecks: [expect.stringMatching(/max_map_count/)] });
    else expect(details.override).toBeUndefined();
  });

  it("renders the Redis Cluster stack into a file and .env the runtime's check accepts", async () => {
    const r = await caller.templates.render({ env: "local", id: await idOf("Redis Cluster"), values: { name: "rc-check", env: { SUBNET_PREFIX: "10.231.38" } } });
    if (r.kind !== "stack") throw new Error("not a stack");
    expect(r.env).toBe("SUBNET_PREFIX=10.231.38\n");
    const check = await runtime.client.call("stacks.check", { name: r.name, file: r.file, env: r.env });
    expect(check.errors).toEqual([]);
    expect(check.services.map((x) => x.name)).toEqual(["node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "cluster-init"]);
    expect(check.variables).toEqual([expect.objectContaining({ name: "SUBNET_PREFIX", set: true })]);
  });

  it("refuses an administrator-only or unknown template, and a wrong value, naming the field", async () => {
    const err = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code: string; cause?: { field?: string } });
    expect(await err(caller.templates.deployContainer({ env: "local", id: "builtin:999", values: { name: "x1", env: {} } }))).toMatchObject({ code: "NOT_FOUND", cause: { field: "id" } });
    expect(await err(caller.templates.deployContainer({ env: "local", id: await idOf("Redis Cluster"), values: { name: "x1", env: {} } }))).toMatchObject({ code: "BAD_REQUEST", cause: { field: "id" } });
    expect(await err(caller.templates.render({ env: "local", id: await idOf("MySQL"), values: { name: "x1", env: { NOPE: "1" } } }))).toMatchObject({ code: "BAD_REQUEST", cause: { field: "env.NOPE" } });
  });
});
