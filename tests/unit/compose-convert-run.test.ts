/**
 * `docker run` → compose service → back through the loader gives the same
 * RunSpec; the config hash is stable across key order and follows real changes;
 * the stacks.check and stacks.convertRun handlers over a real stack folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../../runtime/capability";
import { configHash } from "../../runtime/compose/config-hash";
import { fromRunSpec } from "../../runtime/compose/from-run-spec";
import { loadProject } from "../../runtime/compose/load";
import { parseDockerRun } from "../../runtime/run-spec/parse-command";
import type { RunSpec } from "../../runtime/run-spec/schema";
import { checkHandlers } from "../../runtime/stacks/check";

const dir = "/srv/berth/stacks/demo";
const loadOne = (file: string, env = "") => {
  const r = loadProject({ name: "demo", file, env, workingDir: dir });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return r.project.services[0];
};

function roundTrip(command: string) {
  const parsed = parseDockerRun(command);
  expect(parsed.errors).toEqual([]);
  const out = fromRunSpec(parsed.spec);
  const back = loadOne(out.yaml);
  // Compose names containers and networks itself: those fields move out of the spec.
  const { name, network, ip, ip6, networkAliases, detach, ...rest } = parsed.spec as RunSpec;
  void [name, ip, ip6, networkAliases, detach, network];
  return { out, back, expected: rest };
}

describe("docker run → compose → RunSpec", () => {
  it("a typical command round-trips", () => {
    const { out, back, expected } = roundTrip(
      `docker run -d --name web -p 127.0.0.1:8080:80 -p 53:53/udp -v data:/data -v /srv/html:/usr/share/nginx/html:ro ` +
        `-e A=1 -e "B=two words" --restart on-failure:3 --memory 256m --cpus 1.5 --label team=a --health-cmd "wget -q localhost" ` +
        `--health-interval 10s --ulimit nofile=1024:2048 --cap-add NET_ADMIN --tmpfs /run:size=64m --add-host db:10.0.0.5 ` +
        `--mount type=tmpfs,target=/scratch --user 1000 -w /app --stop-timeout 20 --log-driver json-file --log-opt max-size=10m ` +
        `nginx:1.25 nginx -g 'daemon off;'`,
    );
    expect(out.service).toBe("web");
    expect(back.containerName).toBe("web");
    expect(out.caveats).toEqual([]);
    expect(back.spec).toEqual({ ...expected, volumes: [{ source: "data", target: "/data" }, expected.volumes![1]] });
  });

  it("a user network becomes an external network with aliases and address; host networking is network_mode", () => {
    const { out, back } = roundTrip("docker run --network backend --network-alias api --ip 10.231.42.5 redis");
    expect(out.service).toBe("redis");
    expect(out.yaml).toContain("backend:\n    external: true");
    expect(back.networks).toEqual([{ key: "backend", aliases: ["api"], ipv4Address: "10.231.42.5" }]);
    expect(roundTrip("docker run --network host busybox").back.networkMode).toBe("host");
  });

  it("flags compose cannot say are listed as caveats", () => {
    const { out } = roundTrip("docker run --rm -P --link db:db ghcr.io/acme/web-app:1.2");
    expect(out.service).toBe("web-app");
    expect(out.caveats.join("\n")).toMatch(/--rm.*\n-P.*\n--link/);
  });
});

describe("config hash", () => {
  const base = "services:\n  web:\n    image: nginx\n    environment: {A: '1', B: '2'}\n    labels: {x: y, z: w}\n    ports: ['8080:80']\n";
  it("is stable across key order and replica count", () => {
    const reordered = "services:\n  web:\n    ports: ['8080:80']\n    labels: {z: w, x: y}\n    environment: [B=2, A=1]\n    image: nginx\n    scale: 3\n";
    const a = configHash(loadOne(base));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(loadOne(reordered.replace("['8080:80']", "['80']")))).not.toBe(a);
    expect(configHash(loadOne(reordered.replace("    scale: 3\n", "")))).toBe(a);
  });

  it("changes when an env value, an alias or the build changes", () => {
    const a = configHash(loadOne(base));
    expect(configHash(loadOne(base.replace("B: '2'", "B: '3'")))).not.toBe(a);
    expect(configHash(loadOne(base.replace("A: '1'", "A: $V"), "V=1"))).toBe(a);
    expect(configHash(loadOne(base.replace("A: '1'", "A: $V"), "V=9"))).not.toBe(a);
  });
});

describe("stacks.check and stacks.convertRun", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-compose-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const folder = path.join(dataDir, "stacks", "demo");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "app.env"), "FROM_FILE=yes\n");
  fs.writeFileSync(path.join(dataDir, "outside.env"), "SECRET=host\n");
  fs.symlinkSync(path.join(dataDir, "outside.env"), path.join(folder, "link.env"));
  const h = checkHandlers({ dataDir } as EngineContext);

  it("checks a file against its stack folder: env_file read from inside it, variables listed", async () => {
    const r = await h["stacks.check"]({ name: "demo", file: "services:\n  web:\n    image: nginx:${TAG:-1}\n    env_file: app.env\n", env: "" });
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.services).toEqual([{ name: "web", image: "nginx:1", replicas: 1, build: false, spec: { image: "nginx:1", env: ["FROM_FILE=yes"] } }]);
    expect(r.variables).toEqual([{ name: "TAG", set: false, hasDefault: true, required: false }]);
    expect(r.interpolated).toContain("image: nginx:1");
  });

  it("refuses a symlink that leads out of the stack folder", async () => {
    const r = await h["stacks.check"]({ name: "demo", file: "services:\n  web:\n    image: nginx\n    env_file: link.env\n", env: "" });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.message)).toEqual([`line 4, services.web.env_file: cannot read the env file "link.env"`]);
  });

  it("reads at most 1 MB of a file, and nothing when the stack folder does not exist yet", async () => {
    fs.writeFileSync(path.join(folder, "big.env"), `A=${"x".repeat(1024 * 1024)}\n`);
    const big = await h["stacks.check"]({ name: "demo", file: "services:\n  web:\n    image: nginx\n    env_file: big.env\n", env: "" });
    expect(big.errors.map((e) => e.message)).toEqual([`line 4, services.web.env_file: cannot read the env file "big.env"`]);
    const fresh = await h["stacks.check"]({ name: "fresh", file: "services:\n  web:\n    image: nginx\n    env_file: a.env\n", env: "" });
    expect(fresh.errors.map((e) => e.message)).toEqual([`line 4, services.web.env_file: cannot read the env file "a.env"`]);
  });

  it("gives errors with the variables and warnings it found", async () => {
    const r = await h["stacks.check"]({ name: "demo", file: "version: '3'\nservices:\n  web:\n    image: ${IMG:?name an image}\n", env: "" });
    expect(r).toMatchObject({ ok: false, services: [], variables: [{ name: "IMG", set: false, hasDefault: false, required: true }] });
    expect(r.errors[0].message).toBe("line 4, services.web.image: variable IMG is required: name an image");
  });

  it("converts a docker run command, and refuses one it cannot read naming the field", async () => {
    const r = await h["stacks.convertRun"]({ command: "docker run -d -p 8080:80 nginx", service: "front" });
    expect(r).toEqual({ service: "front", yaml: "services:\n  front:\n    image: nginx\n    ports:\n      - 8080:80\n", caveats: [] });
    await expect(h["stacks.convertRun"]({ command: "docker run 'nginx" })).rejects.toMatchObject({ error: { code: "BAD_REQUEST", field: "command" } });
  });
});
