/**
 * Secrets given to a container (environment, labels, commit changes) reach
 * Docker, never Berth's database: the audit keeps the call without them.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { BerthApi } from "../support/berth-api";
import { baseUrl, e2eDir } from "./env";
import { docker, dockerQuiet } from "./helpers";

const NAME = `e2e-secrets-${process.pid}`;
const SECRETS = [`pg-${process.pid}-Zq81`, `plain-${process.pid}-Xk27`, `label-${process.pid}-Wm55`, `commit-${process.pid}-Vt93`];

test.afterAll(() => {
  dockerQuiet("rm", "-f", NAME);
  dockerQuiet("rmi", `${NAME}:audit`);
});

/** Every byte Berth's database holds, the write-ahead log included. */
function databaseBytes(): Buffer {
  const db = path.join(e2eDir(), "data", "berth.db");
  return Buffer.concat([db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

test("secrets in env, labels and commit changes are given to Docker and appear nowhere in the database file", async () => {
  const api = await new BerthApi(baseUrl()).signIn();
  const created = await api.mutate("containerCreate.create", {
    env: "local",
    spec: {
      name: NAME,
      image: "busybox",
      command: ["sleep", "300"],
      env: [`POSTGRES_PASSWORD=${SECRETS[0]}`, `GREETING=${SECRETS[1]}`],
      labels: { "com.example.api-token": SECRETS[2], app: "web" },
    },
  });
  expect(created.status, created.text).toBe(200);
  const id = docker("inspect", "-f", "{{.Id}}", NAME);
  expect(docker("inspect", "-f", "{{json .Config.Env}}", NAME)).toContain(SECRETS[0]);
  const committed = await api.mutate("containers.commit", { env: "local", id, repository: NAME, tag: "audit", changes: [`ENV DEPLOY_KEY=${SECRETS[3]}`] });
  expect(committed.status, committed.text).toBe(200);
  expect(docker("image", "inspect", "-f", "{{json .Config.Env}}", `${NAME}:audit`)).toContain(SECRETS[3]);

  // The calls are on record…
  const audit = await api.query("audit.list", { limit: 20 });
  expect(audit.text).toContain(NAME);
  expect(audit.text).toContain("POSTGRES_PASSWORD=[redacted]");
  // …and no secret is in any page of the database file.
  const bytes = databaseBytes();
  // The file read is the one the rows are in (a wrong path would read nothing and find no secret).
  expect(bytes.includes("POSTGRES_PASSWORD=[redacted]")).toBe(true);
  for (const secret of SECRETS) expect(bytes.includes(secret), secret).toBe(false);
});

test("an export's audit row is completed when the stream ends, with the bytes that went out", async () => {
  const api = await new BerthApi(baseUrl()).signIn();
  const res = await api.get(`/api/e/local/containers/${NAME}/export`);
  expect(res.status).toBe(200);
  const sent = (await res.arrayBuffer()).byteLength;
  expect(sent).toBeGreaterThan(100_000);
  await expect
    .poll(async () => {
      const page = await api.query("audit.list", { limit: 10, action: "container.export" });
      const items = (page.data as { items: { outcome: string; targetName: string | null; id: number }[] }).items;
      const row = items.find((r) => r.targetName === NAME);
      if (!row || row.outcome !== "ok") return row?.outcome ?? "missing";
      const full = await api.query("audit.details", { id: row.id });
      return JSON.parse(String((full.data as { details: string }).details)).bytes;
    })
    .toBe(sent);
});
