/**
 * A RunSpec (a pasted `docker run`, the create form) → a compose file with one
 * service: the inverse of convert-service.ts, so loading the result gives the
 * same spec back. What compose cannot say (`--rm`, `-P`, `--gpus`, links…) is
 * listed as caveats instead of being dropped silently. Named volumes keep their
 * name (`name:`), and a user network the container joined is declared external,
 * so the service finds the same data and the same network.
 */
import { stringify } from "yaml";
import { parseImageReference } from "../run-spec/image-reference";
import type { RunSpec } from "../run-spec/schema";
import { formatDevice, formatRestart, formatTmpfs } from "../run-spec/syntax-misc";
import { formatPortSpec, formatVolumeSpec } from "../run-spec/syntax-storage";

export interface FromRunSpecResult {
  service: string;
  yaml: string;
  caveats: string[];
}

const builtinNetworks = new Set(["bridge", "default", "host", "none"]);

/** The image's short name as a service name: `ghcr.io/acme/web-app:1.2` → `web-app`. */
export function serviceNameFor(spec: Pick<RunSpec, "name" | "image">): string {
  const from = spec.name ?? (() => {
    const ref = parseImageReference(spec.image ?? "");
    const repo = ref.ok && !ref.ref.id ? ref.ref.name : (spec.image ?? "").split("@")[0].replace(/:[^/]*$/, "");
    return repo.split("/").pop() ?? "";
  })();
  const clean = from.replace(/[^a-zA-Z0-9_.-]/g, "-").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 63);
  return clean || "app";
}

export function fromRunSpec(spec: RunSpec, name?: string): FromRunSpecResult {
  const service = name ?? serviceNameFor(spec);
  const caveats: string[] = [];
  const s: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  const networks: Record<string, unknown> = {};
  const put = (key: string, v: unknown) => {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) s[key] = v;
  };
  const named = (source: string | undefined) => {
    if (source && !source.startsWith("/")) volumes[source] = { name: source };
  };
  put("image", spec.image);
  if (spec.name) put("container_name", spec.name);
  put("platform", spec.platform);
  if (spec.alwaysPull) put("pull_policy", "always");
  put("entrypoint", spec.entrypoint);
  put("command", spec.command);
  put("working_dir", spec.workingDir);
  put("user", spec.user);
  put("stdin_open", spec.interactive);
  put("tty", spec.tty);
  put("init", spec.init);
  put("hostname", spec.hostname);
  put("domainname", spec.domainname);
  put("environment", spec.env);
  put("labels", spec.labels);
  put("ports", spec.ports?.map(formatPortSpec));
  put("expose", spec.expose);
  put("volumes", [
    ...(spec.volumes ?? []).map((v) => (named(v.source), formatVolumeSpec(v))),
    ...(spec.mounts ?? []).map((m) => {
      if (m.type === "volume") named(m.source);
      for (const [k, flag] of [["volumeSubpath", "volume-subpath"], ["volumeDriver", "volume-driver"], ["volumeOpts", "volume-opt"], ["volumeLabels", "volume-label"], ["bindNonRecursive", "bind-nonrecursive"], ["tmpfsMode", "tmpfs-mode"]] as const)
        if (m[k] !== undefined) caveats.push(`--mount ${flag} (on ${m.target}) has no compose key Berth supports: it is left out`);
      return {
        type: m.type,
        ...(m.source !== undefined ? { source: m.source } : {}),
        target: m.target,
        ...(m.readOnly ? { read_only: true } : {}),
        ...(m.consistency ? { consistency: m.consistency } : {}),
        ...(m.bindPropagation ? { bind: { propagation: m.bindPropagation } } : {}),
        ...(m.volumeNoCopy ? { volume: { nocopy: true } } : {}),
        ...(m.tmpfsSize !== undefined ? { tmpfs: { size: m.tmpfsSize } } : {}),
      };
    }),
  ]);
  put("tmpfs", spec.tmpfs?.map(formatTmpfs));
  network(spec, service, put, networks, caveats);
  put("dns", spec.dns);
  put("dns_search", spec.dnsSearch);
  put("dns_opt", spec.dnsOptions);
  put("extra_hosts", spec.addHosts?.map((h) => `${h.host}:${h.ip}`));
  put("mac_address", spec.macAddress);
  put("restart", formatRestart(spec));
  const copies: [keyof RunSpec, string][] = [
    ["memory", "mem_limit"], ["memoryReservation", "mem_reservation"], ["memorySwap", "memswap_limit"], ["memorySwappiness", "mem_swappiness"],
    ["cpus", "cpus"], ["cpuShares", "cpu_shares"], ["cpuPeriod", "cpu_period"], ["cpuQuota", "cpu_quota"], ["cpusetCpus", "cpuset"],
    ["pidsLimit", "pids_limit"], ["shmSize", "shm_size"], ["oomKillDisable", "oom_kill_disable"], ["oomScoreAdj", "oom_score_adj"],
    ["deviceCgroupRules", "device_cgroup_rules"], ["cgroupParent", "cgroup_parent"], ["privileged", "privileged"], ["capAdd", "cap_add"],
    ["capDrop", "cap_drop"], ["securityOpt", "security_opt"], ["readOnly", "read_only"], ["sysctls", "sysctls"], ["pid", "pid"], ["ipc", "ipc"],
    ["userns", "userns_mode"], ["groupAdd", "group_add"], ["runtime", "runtime"], ["stopSignal", "stop_signal"],
  ];
  for (const [field, key] of copies) put(key, spec[field]);
  if (spec.ulimits?.length) s.ulimits = Object.fromEntries(spec.ulimits.map((u) => [u.name, u.hard === undefined ? u.soft : { soft: u.soft, hard: u.hard }]));
  put("devices", spec.devices?.map(formatDevice));
  if (spec.stopTimeout !== undefined) put("stop_grace_period", `${spec.stopTimeout}s`);
  if (spec.logDriver || spec.logOpts) s.logging = { ...(spec.logDriver ? { driver: spec.logDriver } : {}), ...(spec.logOpts ? { options: spec.logOpts } : {}) };
  if (spec.healthcheck) {
    const h = spec.healthcheck;
    const test = h.none ? ["NONE"] : typeof h.cmd === "string" ? ["CMD-SHELL", h.cmd] : h.cmd ? ["CMD", ...h.cmd] : undefined;
    s.healthcheck = {
      ...(test ? { test } : {}),
      ...(h.interval ? { interval: h.interval } : {}),
      ...(h.timeout ? { timeout: h.timeout } : {}),
      ...(h.startPeriod ? { start_period: h.startPeriod } : {}),
      ...(h.retries !== undefined ? { retries: h.retries } : {}),
    };
    if (h.startInterval) caveats.push("--health-start-interval has no compose key Berth supports: it is left out");
  }
  const unsupported: [keyof RunSpec, string][] = [
    ["autoRemove", "--rm: compose keeps a service's containers; remove them with the stack"],
    ["publishAll", "-P (publish all exposed ports) has no compose key: list the ports under ports"],
    ["volumesFrom", "--volumes-from has no compose key Berth supports"],
    ["volumeDriver", "--volume-driver: give the driver on the top-level volume instead"],
    ["links", "--link: services of one stack reach each other by service name"],
    ["gpus", "--gpus has no compose key Berth supports"],
    ["blkioWeight", "--blkio-weight has no compose key Berth supports"],
    ["cpusetMems", "--cpuset-mems has no compose key Berth supports"],
    ["uts", "--uts has no compose key Berth supports"],
    ["cgroupns", "--cgroupns has no compose key Berth supports"],
  ];
  for (const [field, text] of unsupported) if (spec[field] !== undefined && spec[field] !== false) caveats.push(`${text}: it is left out`);
  const file: Record<string, unknown> = { services: { [service]: s } };
  if (Object.keys(networks).length > 0) file.networks = networks;
  if (Object.keys(volumes).length > 0) file.volumes = volumes;
  return { service, yaml: stringify(file, { lineWidth: 0 }), caveats };
}

/** `--network`: host/none/container: as network_mode; a user network declared external with the aliases and addresses. */
function network(spec: RunSpec, service: string, put: (k: string, v: unknown) => void, networks: Record<string, unknown>, caveats: string[]) {
  const net = spec.network;
  if (net === undefined || net === "bridge" || net === "default") {
    if (spec.ip || spec.ip6 || spec.networkAliases?.length) caveats.push("--ip, --ip6 and --network-alias need a user network: they are left out");
    if (net === "bridge") caveats.push(`--network bridge: the service "${service}" joins the stack's own network instead of the default bridge`);
    return;
  }
  if (builtinNetworks.has(net) || net.startsWith("container:")) {
    put("network_mode", net);
    return;
  }
  const entry = {
    ...(spec.networkAliases?.length ? { aliases: spec.networkAliases } : {}),
    ...(spec.ip ? { ipv4_address: spec.ip } : {}),
    ...(spec.ip6 ? { ipv6_address: spec.ip6 } : {}),
  };
  put("networks", Object.keys(entry).length > 0 ? { [net]: entry } : [net]);
  networks[net] = { external: true };
  if (spec.ip || spec.ip6) caveats.push(`the network "${net}" is external: a static address is checked against its subnet when the stack is deployed`);
}
