/**
 * The built-in list (public/templates/templates.json) is Portainer's v3 format,
 * parses without a single problem, and has exactly the six templates.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTemplateList } from "../../server/templates/parse";
import { renderContainer, renderStack } from "../../server/templates/render";
import { stackFileLocation } from "../../server/templates/fetch";

const dir = path.resolve(__dirname, "../../public/templates");
const raw = JSON.parse(fs.readFileSync(path.join(dir, "templates.json"), "utf8")) as { version: string; templates: Record<string, unknown>[] };
const parsed = parseTemplateList(raw, { idPrefix: "builtin", source: "builtin" });
const byTitle = (title: string) => parsed.templates.find((t) => t.template.title === title)!;

describe("the built-in list", () => {
  it("is v3 with numeric ids and parses without problems", () => {
    expect(raw.version).toBe("3");
    expect(raw.templates.every((t) => typeof t.id === "number")).toBe(true);
    expect(parsed.problems).toEqual([]);
    expect(parsed.templates.map((t) => t.template.title)).toEqual(["Nginx", "Tomcat", "Elasticsearch", "MySQL", "Redis", "Redis Cluster"]);
  });

  it("has the issue's images, ports and env", () => {
    expect(byTitle("Nginx").template).toMatchObject({ type: "container", image: "nginx:latest", ports: ["80/tcp"] });
    expect(byTitle("Tomcat").template).toMatchObject({ type: "container", image: "tomcat:9.0", ports: ["8080/tcp"] });
    expect(byTitle("Elasticsearch").template).toMatchObject({
      type: "container", image: "elasticsearch:7.6.2", ports: ["9200/tcp", "9300/tcp"], memory: "1g",
      volumes: [{ container: "/usr/share/elasticsearch/data" }],
    });
    expect(byTitle("Elasticsearch").template.env).toEqual([
      expect.objectContaining({ name: "discovery.type", default: "single-node", preset: true }),
      expect.objectContaining({ name: "ES_JAVA_OPTS", default: "-Xms256m -Xmx512m" }),
    ]);
    expect(byTitle("MySQL").template).toMatchObject({ image: "mysql:8", ports: ["3306/tcp"], volumes: [{ container: "/var/lib/mysql" }] });
    expect(byTitle("MySQL").template.env).toEqual([expect.objectContaining({ name: "MYSQL_ROOT_PASSWORD", label: "Root password" })]);
    expect(byTitle("Redis").template).toMatchObject({ image: "redis:latest", ports: ["6379/tcp"], volumes: [{ container: "/data" }] });
    expect(byTitle("Redis Cluster").template.type).toBe("stack");
  });

  it("ships every logo it names, as SVG", () => {
    for (const t of parsed.templates) {
      expect(t.template.logo, t.template.title).toMatch(/^\/templates\/logos\/[a-z-]+\.svg$/);
      const file = path.join(dir, t.template.logo!.replace(/^\/templates\//, ""));
      expect(fs.readFileSync(file, "utf8"), file).toMatch(/^<svg /);
    }
  });

  it("renders Elasticsearch into exactly the spec the e2e test inspects", () => {
    const spec = renderContainer(byTitle("Elasticsearch").template, { name: "es", env: {}, ports: ["127.0.0.1:19200:9200/tcp", "127.0.0.1:19300:9300/tcp"] });
    expect(spec).toMatchObject({
      image: "elasticsearch:7.6.2",
      env: ["discovery.type=single-node", "ES_JAVA_OPTS=-Xms256m -Xmx512m"],
      memory: "1g",
      volumes: [{ source: "es-data", target: "/usr/share/elasticsearch/data" }],
      ports: [{ hostIp: "127.0.0.1", hostPort: 19200, containerPort: 9200 }, { hostIp: "127.0.0.1", hostPort: 19300, containerPort: 9300 }],
    });
  });

  it("finds the Redis Cluster file next to the list, and renders its subnet", () => {
    const where = stackFileLocation({ kind: "file", path: path.join(dir, "templates.json") }, byTitle("Redis Cluster").repository!);
    expect(where).toEqual({ kind: "file", path: path.join(dir, "stacks/redis-cluster/compose.yaml") });
    const file = fs.readFileSync(path.join(dir, "stacks/redis-cluster/compose.yaml"), "utf8");
    const r = renderStack(byTitle("Redis Cluster").template, { name: "rc", env: { SUBNET_PREFIX: "10.231.38" } }, file);
    expect(r.env).toBe("SUBNET_PREFIX=10.231.38\n");
    expect(r.file).toBe(file);
    expect(file).toContain("subnet: ${SUBNET_PREFIX:-172.28.38}.0/24");
    expect(file).toContain("--cluster-replicas 1 --cluster-yes");
    expect(file.match(/redis-server --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 --protected-mode no --appendonly no/g)).toHaveLength(6);
    for (let i = 1; i <= 6; i++) expect(file).toContain(`ipv4_address: \${SUBNET_PREFIX:-172.28.38}.1${i}`);
  });
});
