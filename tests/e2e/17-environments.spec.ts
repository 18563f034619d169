/**
 * Every address that touches an engine names its environment (API only): an
 * unknown one is a 404 / NOT_FOUND that names `env`, for a tRPC call and for a
 * download; the unscoped download addresses are gone; the audit row of an
 * engine action records the environment it was on; and the environments are
 * listed for the pages, with the one seeded at start for DOCKER_HOST.
 */
import { expect, test } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { baseUrl } from "./env";
import { docker, dockerQuiet } from "./helpers";

const NAME = `berth-e2e-env-${process.pid}`;
let api: BerthApi;

test.beforeAll(async () => {
  dockerQuiet("rm", "-f", NAME);
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "echo hello; sleep 600");
  api = await new BerthApi(baseUrl()).signIn();
});

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

test("a tRPC call on an unknown environment is NOT_FOUND naming env; a malformed or missing one is a 400 naming env", async () => {
  const startedAt = docker("inspect", "-f", "{{.State.StartedAt}}", NAME);
  for (const [call, input] of [
    [api.query("containers.list", { env: "nope" }), "containers.list"],
    [api.query("containers.inspect", { env: "nope", id: NAME }), "containers.inspect"],
    [api.mutate("containers.restart", { env: "nope", id: NAME, timeout: 1 }), "containers.restart"],
    [api.query("environments.get", { env: "nope" }), "environments.get"],
  ] as const) {
    const r = await call;
    expect(r.status, input).toBe(404);
    expect(r.error?.message, input).toBe('env: environment "nope" not found');
    expect(r.error?.data?.field, input).toBe("env");
  }
  for (const input of [{ env: "Not A Slug", id: NAME }, { env: "x".repeat(65), id: NAME }, { id: NAME }]) {
    const r = await api.query("containers.inspect", input);
    expect(r.status, JSON.stringify(input)).toBe(400);
    expect(r.error?.data?.field).toBe("env");
    expect(r.error?.message).toMatch(/^env: /);
  }
  // Nothing happened to the container through the unknown environment.
  expect(docker("inspect", "-f", "{{.State.StartedAt}}", NAME)).toBe(startedAt);
});

test("a download on an unknown environment is a 404 naming env, and the unscoped addresses are gone", async () => {
  for (const path of [
    `/api/e/nope/containers/${NAME}/export`,
    `/api/e/nope/containers/${NAME}/logs/download`,
    "/api/e/nope/logs/download?project=p",
    `/api/e/nope/logs/history/download?container=${NAME}`,
    `/api/e/Nope/containers/${NAME}/export`,
  ]) {
    const res = await api.get(path);
    expect(res.status, path).toBe(404);
    const body = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(body.error, path).toMatchObject({ code: "NOT_FOUND", field: "env" });
    expect(body.error.message, path).toMatch(/^env: environment "(nope|Nope)" not found$/);
  }
  for (const path of [`/api/containers/${NAME}/export`, `/api/containers/${NAME}/logs/download`, "/api/logs/download?project=p", "/api/logs/history/download"]) {
    const res = await api.get(path);
    expect(res.status, path).toBe(404);
    const body = (await res.json()) as { error: { field: string; message: string } };
    expect(body.error.field, path).toBe("env");
    expect(body.error.message, path).toContain("/api/e/<env>/");
  }
  // The same download in the real environment works.
  const ok = await api.get(`/api/e/local/containers/${NAME}/logs/download`);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe("hello\n");
});

test("the audit row of an engine action records its environment", async () => {
  const refused = await api.mutate("containers.restart", { env: "nope", id: NAME, timeout: 1 });
  expect(refused.status).toBe(404);
  const r = await api.mutate("containers.restart", { env: "local", id: NAME, timeout: 1 });
  expect(r.status, r.text).toBe(200);
  const list = await api.query("audit.list", { limit: 20, action: "container.restart" });
  const rows = (list.data as { items: { targetId: string | null; targetName: string | null; environmentId: string | null; outcome: string }[] }).items;
  const mine = rows.find((row) => row.targetName === NAME && row.outcome === "ok");
  expect(mine, JSON.stringify(rows.slice(0, 3))).toBeTruthy();
  expect(mine!.environmentId).toBe("local");
  // A call on an unknown environment is on record as asked for, and as failed.
  const failed = rows.find((row) => row.environmentId === "nope" && row.targetId === NAME);
  expect(failed?.outcome).toBe("error");
});

test("the environments are listed, the seeded one connected to DOCKER_HOST, and health reports each", async () => {
  const list = await api.query("environments.list", undefined);
  expect(list.status, list.text).toBe(200);
  const envs = list.data as { id: string; kind: string; dockerHost: string; connected: boolean; engine: { reachable: boolean } | null }[];
  const local = envs.find((e) => e.id === "local");
  expect(local).toMatchObject({ kind: "local", dockerHost: process.env.DOCKER_HOST, connected: true, engine: { reachable: true } });
  const one = await api.query("environments.get", { env: "local" });
  expect(one.data).toMatchObject({ id: "local", connected: true });

  const health = (await (await fetch(`${baseUrl()}/api/health`)).json()) as { environments: Record<string, { runtime: { ok: boolean }; engine: { reachable: boolean } }> };
  expect(health.environments.local).toMatchObject({ runtime: { ok: true }, engine: { reachable: true } });
});

test("a log download is audited like an export: its row, in its environment, says how many bytes went out", async () => {
  const res = await api.get(`/api/e/local/containers/${NAME}/logs/download?tail=all`);
  expect(res.status).toBe(200);
  const text = await res.text();
  // One "hello" per start of the container (the test above restarts it).
  expect(text).toMatch(/^(hello\n)+$/);
  const sent = Buffer.byteLength(text);
  await expect
    .poll(async () => {
      const page = await api.query("audit.list", { limit: 10, action: "container.logs" });
      const items = (page.data as { items: { id: number; outcome: string; targetName: string | null; environmentId: string | null }[] }).items;
      const row = items.find((r) => r.targetName === NAME);
      if (!row || row.outcome !== "ok") return row?.outcome ?? "missing";
      const full = await api.query("audit.details", { id: row.id });
      const details = JSON.parse(String((full.data as { details: string }).details)) as { bytes: number; tail: string };
      return { env: row.environmentId, bytes: details.bytes, tail: details.tail };
    })
    .toEqual({ env: "local", bytes: sent, tail: "all" });
});
