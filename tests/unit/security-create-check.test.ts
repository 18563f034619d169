/**
 * The environment security settings on create specs: each switch refuses what
 * it guards (naming the field and the setting) and allows it when on; wrong
 * types count as set, never as absent.
 */
import { describe, expect, it } from "vitest";
import { referencedContainers, specRefusals, type ReferencedContainer } from "../../server/security/create-check";
import { ALL_OFF, parseSecurity, securitySwitches, type SecuritySettings, type SecuritySwitch } from "../../server/security/switches";
import { parseDockerRun } from "../../runtime/run-spec/index";

const on = (s: SecuritySwitch): SecuritySettings => ({ ...ALL_OFF, [s]: true });
const ALL_ON = Object.fromEntries(securitySwitches.map((s) => [s, true])) as SecuritySettings;
const fields = (spec: Record<string, unknown>, settings = ALL_OFF, containers: Record<string, ReferencedContainer> = {}) =>
  specRefusals(spec, settings, containers).map((r) => `${r.field}|${r.setting}`);

const cases: [string, Record<string, unknown>, string, SecuritySwitch][] = [
  ["-v /:/host", { image: "busybox", volumes: [{ source: "/", target: "/host" }] }, "volumes[0].source", "allowBindMounts"],
  ["-v ./rel:/x", { image: "busybox", volumes: [{ source: "./rel", target: "/x" }] }, "volumes[0].source", "allowBindMounts"],
  ["--mount type=bind", { image: "busybox", mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/s" }] }, "mounts[0].type", "allowBindMounts"],
  ["--mount with no type", { image: "busybox", mounts: [{ source: "/etc", target: "/e" }] }, "mounts[0].type", "allowBindMounts"],
  ["volume-opt o=bind", { image: "busybox", mounts: [{ type: "volume", source: "v1", target: "/v", volumeOpts: { type: "none", o: "bind", device: "/" } }] }, "mounts[0].volumeOpts", "allowBindMounts"],
  ["--privileged", { image: "busybox", privileged: true }, "privileged", "allowPrivileged"],
  ["privileged as a string", { image: "busybox", privileged: "yes" }, "privileged", "allowPrivileged"],
  ["seccomp=unconfined", { image: "busybox", securityOpt: ["seccomp=unconfined"] }, "securityOpt[0]", "allowPrivileged"],
  ["--pid host", { image: "busybox", pid: "host" }, "pid", "allowHostNamespaces"],
  ["--network host", { image: "busybox", network: "host" }, "network", "allowHostNamespaces"],
  ["--ipc host", { image: "busybox", ipc: "host" }, "ipc", "allowHostNamespaces"],
  ["--uts host", { image: "busybox", uts: "host" }, "uts", "allowHostNamespaces"],
  ["--userns host", { image: "busybox", userns: "host" }, "userns", "allowHostNamespaces"],
  ["--cgroupns host", { image: "busybox", cgroupns: "host" }, "cgroupns", "allowHostNamespaces"],
  ["--device", { image: "busybox", devices: [{ pathOnHost: "/dev/sda" }] }, "devices", "allowDevices"],
  ["--device-cgroup-rule", { image: "busybox", deviceCgroupRules: ["b *:* rwm"] }, "deviceCgroupRules", "allowDevices"],
  ["--gpus", { image: "busybox", gpus: { count: "all" } }, "gpus", "allowDevices"],
  ["--cap-add", { image: "busybox", capAdd: ["SYS_ADMIN"] }, "capAdd", "allowCapabilities"],
  ["--sysctl", { image: "busybox", sysctls: { "net.ipv4.ip_forward": "1" } }, "sysctls", "allowSysctls"],
];

describe("each switch refuses what it guards, names the field and the setting, and allows it when on", () => {
  it.each(cases)("%s", (_name, spec, field, setting) => {
    const refused = specRefusals(spec, ALL_OFF);
    expect(refused.map((r) => r.field)).toEqual([field]);
    expect(refused[0]!.setting).toBe(setting);
    expect(refused[0]!.message).toMatch(new RegExp(`^${field.replace(/[[\]]/g, "\\$&")}: .* not allowed for non-administrators on this environment \\(setting: Allow `));
    expect(specRefusals(spec, on(setting))).toEqual([]);
    // Another switch does not open it.
    const other = securitySwitches.find((s) => s !== setting)!;
    expect(specRefusals(spec, on(other))).toHaveLength(1);
  });
});

describe("what stays allowed with every switch off", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a plain container", { image: "nginx", name: "web", ports: [{ containerPort: 80, hostPort: 8080, hostIp: "127.0.0.1" }] }],
    ["a named volume", { image: "busybox", volumes: [{ source: "data", target: "/data" }] }],
    ["an anonymous volume", { image: "busybox", volumes: [{ target: "/data" }] }],
    ["a volume mount and a tmpfs", { image: "busybox", mounts: [{ type: "volume", source: "data", target: "/d" }, { type: "tmpfs", target: "/t" }] }],
    ["no-new-privileges", { image: "busybox", securityOpt: ["no-new-privileges", "no-new-privileges:true"] }],
    ["dropped capabilities", { image: "busybox", capDrop: ["ALL"] }],
    ["empty lists and maps", { image: "busybox", capAdd: [], sysctls: {}, devices: [], privileged: false }],
    ["a user network and private namespaces", { image: "busybox", network: "appnet", ipc: "private", cgroupns: "private" }],
  ])("%s", (_name, spec) => {
    expect(specRefusals(spec, ALL_OFF)).toEqual([]);
  });
});

describe("pasted commands are read as the create call reads them", () => {
  it("docker run -v /:/host --privileged busybox: the bind mount and privileged mode, each with its setting", () => {
    const { spec } = parseDockerRun("docker run -d -v /:/host --privileged busybox");
    const refused = specRefusals(spec as Record<string, unknown>, ALL_OFF);
    expect(refused.map((r) => r.message)).toEqual([
      'volumes[0].source: Bind mounts (host path "/") are not allowed for non-administrators on this environment (setting: Allow bind mounts)',
      "privileged: Privileged mode (--privileged) is not allowed for non-administrators on this environment (setting: Allow privileged mode)",
    ]);
  });
  it("the Docker socket through --mount and --network host", () => {
    const { spec } = parseDockerRun("docker run --mount type=bind,src=/var/run/docker.sock,dst=/s --network host busybox");
    expect(fields(spec as Record<string, unknown>)).toEqual(["mounts[0].type|allowBindMounts", "network|allowHostNamespaces"]);
  });
  it("every switch on allows all of it", () => {
    const { spec } = parseDockerRun("docker run -v /:/host --privileged --pid host --cap-add SYS_ADMIN --device /dev/null --sysctl net.core.somaxconn=1024 busybox");
    expect(fields(spec as Record<string, unknown>)).toHaveLength(6);
    expect(specRefusals(spec as Record<string, unknown>, ALL_ON)).toEqual([]);
  });
});

describe("sharing from another container", () => {
  const host: ReferencedContainer = { binds: true, networkMode: "host", pidMode: "host", ipcMode: "host" };
  const plain: ReferencedContainer = { binds: false, networkMode: "bridge", pidMode: "", ipcMode: "private" };
  it("names the containers to inspect", () => {
    expect(referencedContainers({ volumesFrom: [{ container: "a" }, { container: "a" }], network: "container:b", pid: "container:c", ipc: "host" })).toEqual(["a", "b", "c"]);
  });
  it("--volumes-from a container with bind mounts is a bind mount; from one without, it is not", () => {
    const spec = { image: "busybox", volumesFrom: [{ container: "h" }, { container: "p" }] };
    expect(fields(spec, ALL_OFF, { h: host, p: plain })).toEqual(["volumesFrom[0].container|allowBindMounts"]);
  });
  it("a namespace shared with a container that uses the host's is the host's", () => {
    const spec = { image: "busybox", network: "container:h", pid: "container:p" };
    expect(fields(spec, ALL_OFF, { h: host, p: plain })).toEqual(["network|allowHostNamespaces"]);
  });
});

describe("stored settings", () => {
  it("default to every switch off, and read damage as off", () => {
    expect(parseSecurity("{}")).toEqual(ALL_OFF);
    expect(Object.values(ALL_OFF).every((v) => v === false)).toBe(true);
    expect(parseSecurity("not json")).toEqual(ALL_OFF);
    expect(parseSecurity('{"allowBindMounts":"true","allowPrivileged":1}')).toEqual(ALL_OFF);
    expect(parseSecurity('{"allowBindMounts":true,"unknown":true}')).toEqual(on("allowBindMounts"));
  });
});
