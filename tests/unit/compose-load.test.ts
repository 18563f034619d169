/**
 * The compose loader's mapping of each supported key to the RunSpec and the
 * project model (runtime/compose/load.ts), checked against what compose does.
 */
import { describe, expect, it } from "vitest";
import { loadProject } from "../../runtime/compose/load";
import type { ComposeProject, LoadInput } from "../../runtime/compose/model";

const dir = "/srv/berth/stacks/demo";
function load(file: string, more: Partial<LoadInput> = {}): ComposeProject {
  const r = loadProject({ name: "demo", file, workingDir: dir, ...more });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return r.project;
}
const one = (body: string, more: Partial<LoadInput> = {}) => load(`services:\n  web:\n${body.replace(/^/gm, "    ")}\n`, more).services[0];

describe("compose keys → RunSpec", () => {
  it("image, command and entrypoint (a string split like compose 1.29, a list as is)", () => {
    const s = one(`image: nginx:1.25\ncommand: sh -c 'echo "a b"' "x\\"y"\nentrypoint: [/bin/sh, -c]`);
    expect(s.spec.image).toBe("nginx:1.25");
    expect(s.spec.command).toEqual(["sh", "-c", 'echo "a b"', 'x"y']);
    expect(s.spec.entrypoint).toEqual(["/bin/sh", "-c"]);
  });

  it("environment as a list or a map, env_file first and environment winning; KEY alone takes .env's value", () => {
    const files: Record<string, string> = { [`${dir}/app.env`]: "A=from-file\nB=kept\n" };
    const s = one(`image: nginx\nenv_file: ./app.env\nenvironment:\n  A: mine\n  C:\n  N: 5`, { env: "C=from-dotenv", readFile: (p) => files[p] });
    expect(s.spec.env).toEqual(["A=mine", "B=kept", "C=from-dotenv", "N=5"]);
    expect(one(`image: nginx\nenvironment: [X=1, "Y=a=b", Z]`).spec.env).toEqual(["X=1", "Y=a=b", "Z"]);
  });

  it("ports in short syntax (host ip, ranges, udp) and long syntax", () => {
    const s = one(`image: nginx\nports:\n  - 80\n  - "127.0.0.1:8080:80"\n  - "9000-9001:9000-9001/udp"\n  - {target: 443, published: 8443, host_ip: 127.0.0.1, protocol: tcp}\nexpose: [3000, "4000/udp"]`);
    expect(s.spec.ports).toEqual([
      { containerPort: 80 },
      { hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80 },
      { hostPort: 9000, hostPortEnd: 9001, containerPort: 9000, containerPortEnd: 9001, protocol: "udp" },
      { hostIp: "127.0.0.1", hostPort: 8443, containerPort: 443 },
    ]);
    expect(s.spec.expose).toEqual(["3000", "4000/udp"]);
  });

  it("volumes: named → engine name, relative binds from the stack folder, long syntax, tmpfs", () => {
    const p = load(`services:
  web:
    image: nginx
    volumes:
      - data:/data:ro
      - ./html:/usr/share/nginx/html
      - /var/log:/logs:rw,rshared
      - /anon
      - {type: volume, source: other, target: /o, read_only: true, volume: {nocopy: true}}
      - {type: bind, source: ./conf, target: /etc/conf, bind: {propagation: rslave}}
      - {type: tmpfs, target: /scratch, tmpfs: {size: 1048576}}
    tmpfs: [/run, "/tmp:size=64m"]
volumes:
  data:
  other: {name: shared-other}
  ext: {external: true, name: outside}
`);
    const s = p.services[0];
    expect(s.spec.volumes).toEqual([
      { source: "demo_data", target: "/data", mode: "ro" },
      { source: `${dir}/html`, target: "/usr/share/nginx/html" },
      { source: "/var/log", target: "/logs", mode: "rw", propagation: "rshared" },
      { target: "/anon" },
    ]);
    expect(s.spec.mounts).toEqual([
      { type: "volume", source: "shared-other", target: "/o", readOnly: true, volumeNoCopy: true },
      { type: "bind", source: `${dir}/conf`, target: "/etc/conf", bindPropagation: "rslave" },
      { type: "tmpfs", target: "/scratch", tmpfsSize: 1048576 },
    ]);
    expect(s.spec.tmpfs).toEqual([{ target: "/run" }, { target: "/tmp", options: "size=64m" }]);
    expect(p.volumes.data).toEqual({ key: "data", name: "demo_data", external: false });
    expect(p.volumes.ext).toEqual({ key: "ext", name: "outside", external: true });
  });

  it("networks: the default network when none is given, a map with aliases and addresses, network_mode", () => {
    const p = load(`services:
  web: {image: nginx}
  api:
    image: nginx
    networks:
      back: {aliases: [api-1], ipv4_address: 10.231.40.10}
      front:
  host: {image: nginx, network_mode: host}
  side: {image: nginx, network_mode: "service:web"}
networks:
  back:
    driver: bridge
    driver_opts: {com.docker.network.bridge.name: br-demo, mtu: 1400}
    ipam: {driver: default, config: [{subnet: 10.231.40.0/24, gateway: 10.231.40.1, ip_range: 10.231.40.128/25, aux_addresses: {r: 10.231.40.2}}]}
    internal: true
    attachable: true
    labels: [team=a]
  front: {name: shared-front}
  ext: {external: true}
`);
    const [web, api, host, side] = p.services;
    expect(web.networks).toEqual([{ key: "default" }]);
    expect(api.networks).toEqual([{ key: "back", aliases: ["api-1"], ipv4Address: "10.231.40.10" }, { key: "front" }]);
    expect(host.networks).toEqual([]);
    expect(host.networkMode).toBe("host");
    expect(host.spec.network).toBe("host");
    expect(side.spec.network).toBeUndefined();
    expect(side.dependsOn).toEqual([{ service: "web", condition: "service_started" }]);
    expect(p.networks.default).toEqual({ key: "default", name: "demo_default", external: false });
    expect(p.networks.back).toEqual({
      key: "back", name: "demo_back", external: false, driver: "bridge",
      driverOpts: { "com.docker.network.bridge.name": "br-demo", mtu: "1400" },
      ipam: { driver: "default", config: [{ subnet: "10.231.40.0/24", gateway: "10.231.40.1", ipRange: "10.231.40.128/25", auxAddresses: { r: "10.231.40.2" } }] },
      internal: true, attachable: true, labels: { team: "a" },
    });
    expect(p.networks.front.name).toBe("shared-front");
    expect(p.networks.ext).toEqual({ key: "ext", name: "ext", external: true });
  });

  it("depends_on as a list and as a map with conditions and required", () => {
    const p = load(`services:
  db: {image: redis}
  cache: {image: redis}
  job: {image: busybox}
  web:
    image: nginx
    depends_on:
      db: {condition: service_healthy}
      cache: {condition: service_started, required: false}
      job: {condition: service_completed_successfully}
  w2: {image: nginx, depends_on: [db]}
`);
    expect(p.services[3].dependsOn).toEqual([
      { service: "db", condition: "service_healthy" },
      { service: "cache", condition: "service_started", required: false },
      { service: "job", condition: "service_completed_successfully" },
    ]);
    expect(p.services[4].dependsOn).toEqual([{ service: "db", condition: "service_started" }]);
  });

  it("restart, healthcheck (string, CMD, CMD-SHELL, NONE, disable), labels as a list or a map", () => {
    expect(one(`image: nginx\nrestart: on-failure:3`).spec).toMatchObject({ restart: "on-failure", restartMaxRetries: 3 });
    expect(one(`image: nginx\nhealthcheck: {test: curl -f localhost, interval: 1m30s, timeout: 5s, start_period: 10s, retries: 3}`).spec.healthcheck).toEqual({
      cmd: "curl -f localhost", interval: "1m30s", timeout: "5s", startPeriod: "10s", retries: 3,
    });
    expect(one(`image: nginx\nhealthcheck: {test: [CMD, wget, -q, localhost]}`).spec.healthcheck).toEqual({ cmd: ["wget", "-q", "localhost"] });
    expect(one(`image: nginx\nhealthcheck: {test: [CMD-SHELL, "wget -q localhost"]}`).spec.healthcheck).toEqual({ cmd: "wget -q localhost" });
    expect(one(`image: nginx\nhealthcheck: {test: [NONE]}`).spec.healthcheck).toEqual({ none: true });
    expect(one(`image: nginx\nhealthcheck: {disable: true}`).spec.healthcheck).toEqual({ none: true });
    expect(one(`image: nginx\nlabels: [a=1, b]`).spec.labels).toEqual({ a: "1", b: "" });
    expect(one(`image: nginx\nlabels: {a.b: x}`).spec.labels).toEqual({ "a.b": "x" });
  });

  it("the plain keys: names, user, security, resources, logging, devices, hosts", () => {
    const s = one(`image: nginx
container_name: web-1
hostname: web
domainname: example.org
user: "1000:1000"
working_dir: /app
privileged: true
cap_add: [NET_ADMIN]
cap_drop: [ALL]
ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
sysctls: [net.core.somaxconn=1024]
extra_hosts: ["db.local:10.0.0.5", "v6:::1"]
dns: 1.1.1.1
dns_search: [example.org]
dns_opt: [ndots:2]
logging: {driver: json-file, options: {max-size: 10m}}
stop_signal: SIGINT
stop_grace_period: 1m30s
mem_limit: 512m
mem_reservation: 256m
memswap_limit: 1g
cpus: 1.5
cpu_shares: 512
shm_size: 64m
pids_limit: 100
init: true
tty: true
stdin_open: true
read_only: true
security_opt: [no-new-privileges:true]
group_add: [audio, 44]
devices: ["/dev/null:/dev/nul2:rw"]
pid: host
ipc: shareable
mac_address: 92:d0:c6:0a:29:33
oom_score_adj: 100
pull_policy: always
platform: linux/amd64`);
    expect(s.containerName).toBe("web-1");
    expect(s.pullPolicy).toBe("always");
    expect(s.spec).toEqual({
      image: "nginx", hostname: "web", domainname: "example.org", user: "1000:1000", workingDir: "/app", privileged: true,
      capAdd: ["NET_ADMIN"], capDrop: ["ALL"], ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }, { name: "nproc", soft: 512 }],
      sysctls: { "net.core.somaxconn": "1024" }, addHosts: [{ host: "db.local", ip: "10.0.0.5" }, { host: "v6", ip: "::1" }],
      dns: ["1.1.1.1"], dnsSearch: ["example.org"], dnsOptions: ["ndots:2"], logDriver: "json-file", logOpts: { "max-size": "10m" },
      stopSignal: "SIGINT", stopTimeout: 90, memory: "512m", memoryReservation: "256m", memorySwap: "1g", cpus: 1.5, cpuShares: 512,
      shmSize: "64m", pidsLimit: 100, init: true, tty: true, interactive: true, readOnly: true, securityOpt: ["no-new-privileges:true"],
      groupAdd: ["audio", "44"], devices: [{ pathOnHost: "/dev/null", pathInContainer: "/dev/nul2", cgroupPermissions: "rw" }],
      pid: "host", ipc: "shareable", macAddress: "92:d0:c6:0a:29:33", oomScoreAdj: 100, platform: "linux/amd64",
    });
  });

  it("deploy resources and replicas, scale, and build naming the image PROJECT_SERVICE", () => {
    const s = one(`image: nginx\ndeploy: {replicas: 3, resources: {limits: {memory: 128m, cpus: "0.5", pids: 50}, reservations: {memory: 64m}}}`);
    expect(s.replicas).toBe(3);
    expect(s.spec).toMatchObject({ memory: "128m", cpus: 0.5, pidsLimit: 50, memoryReservation: "64m" });
    expect(one(`image: nginx\nscale: 2`).replicas).toBe(2);
    const b = one(`build: {context: ./app, dockerfile: Dockerfile.dev, args: {V: "1"}, target: prod}`);
    expect(b.spec.image).toBe("demo_web");
    expect(b.build).toEqual({ context: "./app", dockerfile: "Dockerfile.dev", args: { V: "1" }, target: "prod" });
    expect(one(`image: mine\nbuild: .`).build).toEqual({ context: "." });
  });

  it("secrets and configs from files of the stack folder, mounted read-only", () => {
    const p = load(`services:
  web:
    image: nginx
    secrets: [db_pw, {source: api_key, target: key.txt}]
    configs: [app, {source: app, target: /etc/app.conf}]
secrets:
  db_pw: {file: ./secrets/db.txt}
  api_key: {file: key}
configs:
  app: {file: ./app.conf}
`);
    expect(p.services[0].spec.mounts).toEqual([
      { type: "bind", source: `${dir}/secrets/db.txt`, target: "/run/secrets/db_pw", readOnly: true },
      { type: "bind", source: `${dir}/key`, target: "/run/secrets/key.txt", readOnly: true },
      { type: "bind", source: `${dir}/app.conf`, target: "/app", readOnly: true },
      { type: "bind", source: `${dir}/app.conf`, target: "/etc/app.conf", readOnly: true },
    ]);
  });

  it("profiles: services of profiles not enabled are left out with a warning", () => {
    const file = `services:\n  web: {image: nginx}\n  debug: {image: busybox, profiles: [debug]}\n`;
    const off = load(file);
    expect(off.services.map((s) => s.name)).toEqual(["web"]);
    expect(off.warnings.join("\n")).toContain(`the service "debug" is left out`);
    expect(load(file, { profiles: ["debug"] }).services.map((s) => s.name)).toEqual(["web", "debug"]);
    // An optional dependency left out by its profile is dropped; a required one is an error.
    const dep = (required: string) => `services:\n  web: {image: nginx, depends_on: {debug: {condition: service_started${required}}}}\n  debug: {image: busybox, profiles: [debug]}\n`;
    expect(load(dep(", required: false")).services[0].dependsOn).toEqual([]);
    const r = loadProject({ name: "demo", file: dep(""), workingDir: dir });
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([`line 2, services.web.depends_on.debug: "debug" is in a profile that is not enabled`]);
  });

  it("version is ignored with a warning, a different name: warns and the stack's name wins, x- fields are allowed", () => {
    const p = load(`version: "3.9"\nname: other\nx-common: &c {image: nginx}\nservices:\n  web:\n    <<: *c\n    x-note: hi\n`);
    expect(p.name).toBe("demo");
    expect(p.services[0].spec.image).toBe("nginx");
    expect(p.warnings).toEqual([
      `line 1, version: the "version" key is obsolete: compose ignores it, and so does Berth`,
      `line 2, name: the file names the project "other": the stack's name "demo" is used`,
    ]);
  });

  it("the interpolated file is given back as YAML", () => {
    const p = load(`services:\n  web:\n    image: "nginx:\${TAG}"\n`, { env: "TAG=1.25" });
    expect(p.interpolated).toBe("services:\n  web:\n    image: nginx:1.25\n");
  });
});
