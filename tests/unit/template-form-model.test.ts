import { describe, expect, it } from "vitest";
import { filterTemplates, formatPort, initialEnv, openUrl, parsePort, suggestedName, toValues } from "~/app/_features/templates/template-form-model";
import type { AppTemplate } from "~/server/templates/types";

describe("template ports as rows", () => {
  it("reads Portainer's forms and writes them back", () => {
    expect(parsePort("80/tcp")).toEqual({ hostIp: "", hostPort: "", containerPort: "80", protocol: "tcp" });
    expect(parsePort("8080:80/udp")).toEqual({ hostIp: "", hostPort: "8080", containerPort: "80", protocol: "udp" });
    expect(parsePort("127.0.0.1:8080:80")).toEqual({ hostIp: "127.0.0.1", hostPort: "8080", containerPort: "80", protocol: "tcp" });
    for (const s of ["80/tcp", "8080:80/udp", "127.0.0.1:8080:80/tcp"]) expect(formatPort(parsePort(s))).toBe(s);
    expect(formatPort({ hostIp: "127.0.0.1", hostPort: "", containerPort: "80", protocol: "tcp" })).toBe("127.0.0.1::80/tcp");
  });

  it("builds the values: empty rows dropped, a named volume has no bind", () => {
    const v = toValues({
      name: " web ",
      env: { A: "1" },
      ports: [{ hostIp: "", hostPort: "", containerPort: "", protocol: "tcp" }, { hostIp: "127.0.0.1", hostPort: "9000", containerPort: "80", protocol: "tcp" }],
      volumes: [{ container: "/data", kind: "named", bind: "/ignored", readonly: false }, { container: "/cfg", kind: "bind", bind: "/srv/cfg", readonly: true }],
    });
    expect(v).toEqual({ name: "web", env: { A: "1" }, ports: ["127.0.0.1:9000:80/tcp"], volumes: [{ container: "/data" }, { container: "/cfg", bind: "/srv/cfg", readonly: true }] });
    expect(toValues({ name: "s", env: {} })).toEqual({ name: "s", env: {} });
  });
});

describe("template form defaults", () => {
  it("a select starts on its default option, else its first; others on their default", () => {
    expect(
      initialEnv({ env: [{ name: "A", default: "x" }, { name: "B", select: [{ text: "one", value: "1" }, { text: "two", value: "2", default: true }] }, { name: "C", select: [{ text: "z", value: "z" }] }, { name: "D" }] }),
    ).toEqual({ A: "x", B: "2", C: "z", D: "" });
  });

  it("suggests a compose-project name", () => {
    expect(suggestedName({ title: "Redis Cluster" })).toBe("redis-cluster");
    expect(suggestedName({ title: "!!!" })).toBe("app");
    expect(suggestedName({ title: "X", name: "my_web" })).toBe("my_web");
  });
});

describe("Open links", () => {
  it("uses the published IP, or the browser's host for all addresses", () => {
    expect(openUrl("127.0.0.1", 8080, "berth.example")).toBe("http://127.0.0.1:8080");
    expect(openUrl("0.0.0.0", 8080, "berth.example")).toBe("http://berth.example:8080");
    expect(openUrl(undefined, 8080, "berth.example")).toBe("http://berth.example:8080");
    expect(openUrl("::1", 8080, "x")).toBe("http://[::1]:8080");
  });
});

describe("template filters", () => {
  const t = (id: string, patch: Partial<AppTemplate>): AppTemplate => ({ id, source: "builtin", type: "container", title: id, description: "", categories: [], ports: [], volumes: [], env: [], labels: [], ...patch });
  const list = [t("Nginx", { categories: ["webserver"] }), t("Redis Cluster", { type: "stack", categories: ["database"] }), t("Mine", { source: "custom", description: "my web app" })];
  it("search, category, type and source combine", () => {
    expect(filterTemplates(list, { search: "web", category: "", type: "", source: "" }).map((x) => x.id)).toEqual(["Nginx", "Mine"]);
    expect(filterTemplates(list, { search: "", category: "database", type: "", source: "" }).map((x) => x.id)).toEqual(["Redis Cluster"]);
    expect(filterTemplates(list, { search: "", category: "", type: "stack", source: "" }).map((x) => x.id)).toEqual(["Redis Cluster"]);
    expect(filterTemplates(list, { search: "web", category: "", type: "", source: "custom" }).map((x) => x.id)).toEqual(["Mine"]);
  });
});

describe("a preflight fix's commands", () => {
  it("are picked out of the prose", async () => {
    const { fixParts } = await import("~/app/_features/preflight/fix-parts");
    const parts = fixParts("on the engine's host, as root: sysctl -w vm.max_map_count=262144 (and to keep it after a reboot: echo vm.max_map_count=262144 > /etc/sysctl.d/99-elasticsearch.conf)");
    expect(parts.filter((p) => p.code).map((p) => p.text)).toEqual(["sysctl -w vm.max_map_count=262144", "echo vm.max_map_count=262144 > /etc/sysctl.d/99-elasticsearch.conf"]);
    expect(parts.map((p) => p.text).join("")).toContain("on the engine's host, as root: sysctl");
    expect(fixParts("check the image name, or load the image (docker load) first").filter((p) => p.code).map((p) => p.text)).toEqual(["docker load"]);
    expect(fixParts("choose another host port, or stop web").every((p) => !p.code)).toBe(true);
  });
});
