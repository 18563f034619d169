/**
 * A container is named by one rule everywhere (full id, exact name, unique id
 * prefix): a download asked for by an id prefix is audited and named as the
 * container the engine exported, not as the characters in the address.
 */
import { expect, test } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { baseUrl } from "./env";
import { docker, dockerQuiet } from "./helpers";

const NAME = `e2e-ref-${process.pid}`;
let id = "";

test.beforeAll(() => {
  dockerQuiet("rm", "-f", NAME);
  id = docker("create", "--name", NAME, "busybox", "sleep", "300");
});

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

interface AuditItem {
  action: string;
  targetId?: string;
  targetName?: string;
  details?: string;
}

test("an export asked for by an id prefix is audited under the container's full id and name", async () => {
  const api = await new BerthApi(baseUrl()).signIn();
  await expect
    .poll(async () => ((await api.query("containers.list", { env: "local" })).data as { id: string }[] | undefined)?.some((c) => c.id === id))
    .toBe(true);

  const prefix = id.slice(0, 12);
  const res = await api.get(`/api/e/local/containers/${prefix}/export`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-disposition")).toBe(`attachment; filename=${NAME}.tar`);
  expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);

  await expect
    .poll(async () => {
      const page = (await api.query("audit.list", { action: "container.export", limit: 50 })).data as { items: AuditItem[] } | undefined;
      const row = page?.items.find((r) => r.details?.includes(prefix));
      return row && { targetId: row.targetId, targetName: row.targetName };
    })
    .toEqual({ targetId: id, targetName: NAME });
});
