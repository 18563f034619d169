/**
 * Who may deploy and see a stack, through the dashboard's routers, the real
 * runtime and the private engine: a Standard user needs the environment's
 * "Allow stack deployment" switch; a stack is containers, so a bind mount in
 * its file is refused to them as in the create form (naming the service); the
 * stack they deploy is Private, and its containers follow it: the owner sees
 * the stack and its containers, another Standard user sees neither, an
 * Environment administrator sees both.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerSummary } from "../../runtime/engine/protocol";
import type { appRouter } from "../../server/api/routers/index";
import { useMigratedDatabase } from "../support/migrated-db";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";
import { waitTask } from "./stacks-helpers";

requirePrivateEngine();

type Caller = ReturnType<(typeof appRouter)["createCaller"]>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-stack-access-"));
const name = `berthsx${process.pid}`;
let runtime: StartedRuntime;
let db: typeof import("../../server/db").db;
let live: ContainerSummary[] = [];
const as: Record<"owner" | "other" | "envAdmin", Caller> = {} as never;

const file = `services:\n  box:\n    image: busybox\n    command: ["sleep", "600"]\nnetworks:\n  default:\n    ipam:\n      config:\n        - subnet: 10.231.48.0/24\n`;
const setSwitch = (on: boolean) => db.environment.update({ where: { id: "local" }, data: { security: JSON.stringify({ allowStackDeployment: on }) } });
const refresh = async () => {
  live = await runtime.client.call("containers.list", {});
};
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error & { code?: string }) => e);

beforeAll(async () => {
  useMigratedDatabase(path.join(dir, "berth.db"));
  process.env.BERTH_DATA_DIR = dir;
  db = (await import("../../server/db")).db;
  const { addConnection } = await import("../../server/engines/registry");
  const { appRouter } = await import("../../server/api/routers/index");
  const { createCallerFactory } = await import("../../server/api/trpc");
  await db.environment.create({ data: { id: "local", name: "local" } });
  runtime = await startRuntime("stack-access");
  addConnection({
    id: "local", name: "local", kind: "local", dockerHost: process.env.DOCKER_HOST ?? "", runtime: runtime.client,
    live: { find: (id: string) => live.find((c) => c.id === id || c.name === id), containers: () => live, close: () => {} } as never,
  });
  for (const [key, role] of [["owner", "standard"], ["other", "standard"], ["envAdmin", "env-admin"]] as const) {
    const u = await db.user.create({ data: { username: key, passwordHash: "x", role: "user" } });
    await db.roleGrant.create({ data: { environmentId: "local", userId: u.id, role } });
    as[key] = createCallerFactory(appRouter)({ user: { id: u.id, username: key, role: "user" } as never, sourceIp: "127.0.0.1", audit: {} });
  }
}, 60_000);

afterAll(async () => {
  await runtime?.client.call("stacks.down", { name, volumes: true, images: "none", removeFiles: true }).catch(() => undefined);
  dockerQuiet("network", "rm", `${name}_default`);
  await runtime?.stop();
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("stacks and the roles", () => {
  it("a Standard user may not deploy while Allow stack deployment is off, and the refusal names the setting", async () => {
    await setSwitch(false);
    const e = await errorOf(as.owner.stacks.create({ env: "local", name, file, dotenv: "" }));
    expect(e?.code).toBe("FORBIDDEN");
    expect(e?.message).toContain("Allow stack deployment");
    expect(docker("ps", "-a", "-q", "--filter", `label=com.docker.compose.project=${name}`)).toBe("");
  });

  it("a bind mount in the file is refused to a Standard user, naming the service, before anything is made", async () => {
    await setSwitch(true);
    const bind = file.replace('command: ["sleep", "600"]', 'command: ["sleep", "600"]\n    volumes: ["/etc:/host-etc:ro"]');
    const e = await errorOf(as.owner.stacks.create({ env: "local", name, file: bind, dotenv: "" }));
    expect(e?.code).toBe("FORBIDDEN");
    expect(e?.message).toContain("services.box");
    expect(e?.message).toContain("Allow bind mounts");
    expect(await db.resourceControl.count({ where: { resourceType: "stack" } })).toBe(0);
  });

  it("the stack a Standard user deploys is theirs: they see it and its containers, another Standard user sees neither", async () => {
    const started = await as.owner.stacks.create({ env: "local", name, file, dotenv: "" });
    const task = await waitTask(runtime.client, started.taskId);
    expect(task.state, JSON.stringify(task.error)).toBe("succeeded");
    await refresh();
    const box = live.find((c) => c.name === `${name}-box-1`);
    expect(box).toBeDefined();

    expect((await as.owner.stacks.list({ env: "local" })).map((s) => s.name)).toContain(name);
    expect((await as.owner.containers.list({ env: "local" })).map((c) => c.id)).toContain(box!.id);

    expect((await as.other.stacks.list({ env: "local" })).map((s) => s.name)).not.toContain(name);
    expect((await as.other.containers.list({ env: "local" })).map((c) => c.id)).not.toContain(box!.id);
    expect((await errorOf(as.other.stacks.get({ env: "local", id: name })))?.code).toBe("FORBIDDEN");
    expect((await errorOf(as.other.stacks.down({ env: "local", id: name })))?.code).toBe("FORBIDDEN");

    expect((await as.envAdmin.stacks.list({ env: "local" })).map((s) => s.name)).toContain(name);
    expect((await as.envAdmin.containers.list({ env: "local" })).map((c) => c.id)).toContain(box!.id);
  });

  it("a label in the file cannot borrow another object's access: Berth's access label is the stack's own", async () => {
    const control = await db.resourceControl.findFirstOrThrow({ where: { resourceType: "stack", resourceId: name } });
    expect(JSON.parse(docker("inspect", "-f", "{{json .Config.Labels}}", `${name}-box-1`))["io.berth.access"]).toBe(control.id);
  });
});
