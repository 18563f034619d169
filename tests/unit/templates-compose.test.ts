/**
 * What the templates render is what the compose library reads: the Redis
 * Cluster stack loads with its subnet and six static addresses, and a `.env`
 * written by the templates reads back value for value.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../runtime/compose/load";
import { parseDotenv } from "../../runtime/compose/dotenv";
import { envFile } from "../../server/templates/render";

const file = fs.readFileSync(path.resolve(__dirname, "../../public/templates/stacks/redis-cluster/compose.yaml"), "utf8");

describe("the Redis Cluster template", () => {
  it("loads with the chosen subnet, six nodes with static IPs, and the one-off init after them", () => {
    const r = loadProject({ name: "rc", file, env: envFile([["SUBNET_PREFIX", "10.231.38"]]), workingDir: "/tmp/rc" });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const p = r.project;
    expect(p.services.map((s) => s.name)).toEqual(["node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "cluster-init"]);
    expect(JSON.stringify(p.networks.cluster)).toContain("10.231.38.0/24");
    expect(JSON.stringify(p.networks.cluster)).toContain("10.231.38.1\"");
    for (let i = 1; i <= 6; i++) {
      const s = p.services[i - 1]!;
      expect(s.networks).toEqual([expect.objectContaining({ key: "cluster", ipv4Address: `10.231.38.1${i}` })]);
      expect(s.spec.command).toEqual(["redis-server", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000", "--protected-mode", "no", "--appendonly", "no"]);
      expect(s.spec.healthcheck?.cmd).toEqual(["redis-cli", "ping"]);
    }
    const init = p.services[6]!;
    expect(init.spec.restart).toBe("no");
    expect(init.spec.command).toEqual(["redis-cli", "--cluster", "create", ...[1, 2, 3, 4, 5, 6].map((i) => `10.231.38.1${i}:6379`), "--cluster-replicas", "1", "--cluster-yes"]);
    expect(JSON.stringify(init.dependsOn)).toContain("service_healthy");
    expect(init.dependsOn).toHaveLength(6);
  });

  it("uses its default subnet without a .env", () => {
    const r = loadProject({ name: "rc", file, workingDir: "/tmp/rc" });
    expect(r.ok && r.project.services[0]!.networks[0]!.ipv4Address).toBe("172.28.38.11");
  });
});

describe(".env written by the templates", () => {
  it("reads back exactly, whatever the value holds", () => {
    const values: [string, string][] = [["A", "plain"], ["B", "-Xms256m -Xmx512m"], ["C", "it's \"quoted\" \\ $HOME #x"], ["D", ""], ["E", "'single'"], ["F", "a # b"]];
    const parsed = parseDotenv(envFile(values));
    expect(parsed.ok && Object.fromEntries(parsed.values)).toEqual(Object.fromEntries(values));
  });
});
