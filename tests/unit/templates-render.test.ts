/**
 * A template and its form's values → what is deployed: ports in Portainer's and
 * the form's syntaxes, env presets/selects/defaults, volumes, memory, command,
 * `.env` quoting, and custom templates' `{{ VAR }}`.
 */
import { describe, expect, it } from "vitest";
import { envFileValue, placeholders, renderContainer, renderPorts, renderStack, splitCommand, substitute, volumeName } from "../../server/templates/render";
import type { AppTemplate } from "../../server/templates/types";

const base: AppTemplate = { id: "builtin:9", source: "builtin", type: "container", title: "App", description: "", categories: [], ports: [], volumes: [], env: [], labels: [], image: "nginx:latest" };
const values = (v: Partial<{ name: string; env: Record<string, string>; ports: string[]; volumes: { container: string; bind?: string; readonly?: boolean }[] }>) => ({ name: "app", env: {}, ...v });
const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { message: (e as Error).message, field: (e as { field?: string }).field };
  }
  throw new Error("no error");
};

describe("ports", () => {
  it("reads Portainer's and the form's syntaxes", () => {
    expect(renderPorts(["80/tcp", "8080:80/tcp", "127.0.0.1:9000:9000", "53/udp", " "])).toEqual([
      { containerPort: 80 },
      { hostPort: 8080, containerPort: 80 },
      { hostIp: "127.0.0.1", hostPort: 9000, containerPort: 9000 },
      { containerPort: 53, protocol: "udp" },
    ]);
  });
  it("names the entry that is wrong", () => {
    expect(err(() => renderPorts(["80", "x:80"]))).toEqual({ field: "ports[1]", message: 'ports[1]: invalid host port "x"' });
    expect(err(() => renderPorts(["80/quic"])).field).toBe("ports[0]");
    expect(err(() => renderPorts(["1000-1010:80"])).message).toMatch(/range/);
    expect(err(() => renderContainer(base, values({ ports: ["70000:80"] }))).field).toMatch(/^ports/);
  });
  it("uses the template's ports unless the form edits them", () => {
    const t = { ...base, ports: ["80/tcp"] };
    expect(renderContainer(t, values({})).ports).toEqual([{ containerPort: 80 }]);
    expect(renderContainer(t, values({ ports: ["127.0.0.1:18080:80/tcp"] })).ports).toEqual([{ hostIp: "127.0.0.1", hostPort: 18080, containerPort: 80 }]);
  });
});

describe("env", () => {
  const t: AppTemplate = {
    ...base,
    env: [
      { name: "FIXED", default: "one", preset: true },
      { name: "MODE", select: [{ text: "Fast", value: "fast" }, { text: "Safe", value: "safe", default: true }] },
      { name: "WITH_DEFAULT", default: "d" },
      { name: "EMPTY" },
    ],
  };
  it("keeps presets fixed, checks selects, fills defaults, leaves empty ones out", () => {
    expect(renderContainer(t, values({ env: { FIXED: "two" } })).env).toEqual(["FIXED=one", "MODE=safe", "WITH_DEFAULT=d"]);
    expect(renderContainer(t, values({ env: { MODE: "fast", WITH_DEFAULT: "x y", EMPTY: "e" } })).env).toEqual(["FIXED=one", "MODE=fast", "WITH_DEFAULT=x y", "EMPTY=e"]);
  });
  it("names a variable that is wrong", () => {
    expect(err(() => renderContainer(t, values({ env: { MODE: "turbo" } })))).toEqual({ field: "env.MODE", message: 'env.MODE: must be one of "fast", "safe"' });
    expect(err(() => renderContainer(t, values({ env: { NOPE: "1" } }))).field).toBe("env.NOPE");
    expect(err(() => renderContainer(t, values({ env: { EMPTY: "a\0b" } }))).field).toBe("env.EMPTY");
  });
});

describe("the rest of a container template", () => {
  it("turns volumes into named volumes or bind mounts", () => {
    const t = { ...base, volumes: [{ container: "/var/lib/mysql" }, { container: "/etc/conf", bind: "/srv/conf", readonly: true }] };
    expect(renderContainer(t, values({ name: "db" })).volumes).toEqual([
      { source: "db-mysql", target: "/var/lib/mysql" },
      { source: "/srv/conf", target: "/etc/conf", mode: "ro" },
    ]);
    expect(err(() => renderContainer(t, values({ volumes: [{ container: "/x", bind: "relative" }] }))).field).toBe("volumes[0].bind");
    expect(err(() => renderContainer(t, values({ volumes: [{ container: "x" }] }))).field).toBe("volumes[0].container");
    expect(volumeName("a", "/")).toBe("a-data");
  });
  it("carries memory, labels, restart (always by default), command, privileged, interactive", () => {
    const spec = renderContainer(
      { ...base, memory: "512m", labels: [{ name: "l", value: "v" }], command: `sh -c 'echo "hi there"' $HOME`, privileged: true, interactive: true, hostname: "h", network: "bridge" },
      values({}),
    );
    expect(spec).toMatchObject({ name: "app", image: "nginx:latest", memory: "512m", labels: { l: "v" }, restart: "always", privileged: true, interactive: true, tty: true, hostname: "h", network: "bridge", command: ["sh", "-c", 'echo "hi there"', "$HOME"] });
    expect(renderContainer({ ...base, restartPolicy: "no" }, values({})).restart).toBe("no");
  });
  it("refuses shell operators and names that Docker refuses", () => {
    expect(splitCommand("a 'b c'")).toEqual(["a", "b c"]);
    expect(err(() => splitCommand("a && b")).field).toBe("command");
    expect(err(() => renderContainer(base, values({ name: "-bad" }))).field).toBe("name");
  });
});

describe("stack templates", () => {
  const t: AppTemplate = { ...base, type: "stack", image: undefined, env: [{ name: "SUBNET_PREFIX", default: "172.28.38" }, { name: "PASS" }] };
  it("writes the variables as .env, quoted safely", () => {
    expect(renderStack(t, values({ name: "rc", env: { PASS: "it's $x" } }), "f").env).toBe(`SUBNET_PREFIX=172.28.38\nPASS="it's $x"\n`);
    expect(envFileValue("a b")).toBe("'a b'");
    expect(envFileValue("10.0.0.1")).toBe("10.0.0.1");
    expect(renderStack(t, values({ name: "rc", env: { EXTRA: "1" } }), "f").env).toBe("SUBNET_PREFIX=172.28.38\nPASS=\nEXTRA=1\n");
  });
  it("refuses a line break, naming the variable, and a bad stack name", () => {
    expect(err(() => renderStack(t, values({ name: "rc", env: { PASS: "a\nB=1" } }), "f"))).toEqual({ field: "env.PASS", message: "env.PASS: must be one line (a line break would end the .env entry)" });
    expect(err(() => renderStack(t, values({ name: "Bad Name!" }), "f")).field).toBe("name");
    expect(err(() => renderContainer(t, values({}))).field).toBe("id");
  });
});

describe("{{ VAR }} in custom templates", () => {
  const custom: AppTemplate = {
    ...base, id: "custom:x", source: "custom", type: "stack", image: undefined,
    env: [{ name: "PORT", default: "8080" }, { name: "IMAGE", default: "" }],
    variables: [{ name: "PORT", label: "", defaultValue: "8080", description: "" }, { name: "IMAGE", label: "", defaultValue: "", description: "" }],
  };
  const file = "services:\n  web:\n    image: {{IMAGE}}\n    ports: ['127.0.0.1:{{ PORT }}:80']\n";
  it("substitutes with spaces inside the braces, and defaults", () => {
    expect(placeholders(file)).toEqual(["IMAGE", "PORT"]);
    const r = renderStack(custom, values({ name: "s", env: { IMAGE: "nginx" } }), file);
    expect(r.file).toBe("services:\n  web:\n    image: nginx\n    ports: ['127.0.0.1:8080:80']\n");
    expect(r.env).toBe("");
  });
  it("names an unfilled or unknown variable", () => {
    expect(err(() => renderStack(custom, values({ name: "s" }), file))).toEqual({ field: "env.IMAGE", message: "env.IMAGE: is required: {{ IMAGE }} has no value and no default" });
    expect(err(() => substitute("{{ OTHER }}", {})).field).toBe("env.OTHER");
  });
});
