/**
 * One service of a checked, interpolated file → its RunSpec (what `docker run`
 * would get for one replica). Every key Berth supports is mapped here or in
 * convert-storage.ts; the others are refused by name (`only`).
 */
import type { HealthcheckSpec, RunSpec, UlimitSpec } from "../run-spec/schema";
import { parseDevice, parseHostEntry, parseRestart } from "../run-spec/syntax-misc";
import { parseDuration } from "../run-spec/units";
import { type ConvertContext, fail, listOrDict, only, pathInFolder, scalarText, stringList, toRecord } from "./convert-context";
import { convertPorts, convertVolumes, type Origins } from "./convert-storage";
import { parseDotenv } from "./dotenv";
import { shlexSplit } from "./shlex";
import { childPath, isRecord, own } from "./yaml-source";

export const SERVICE_KEYS = [
  "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "networks",
  "network_mode", "depends_on", "restart", "healthcheck", "labels", "container_name", "hostname", "domainname", "user",
  "working_dir", "privileged", "cap_add", "cap_drop", "ulimits", "sysctls", "tmpfs", "extra_hosts", "dns", "dns_search",
  "dns_opt", "logging", "stop_signal", "stop_grace_period", "mem_limit", "mem_reservation", "memswap_limit", "cpus",
  "cpu_shares", "shm_size", "pids_limit", "deploy", "scale", "profiles", "secrets", "configs", "init", "tty",
  "stdin_open", "read_only", "security_opt", "group_add", "devices", "pid", "ipc", "mac_address", "oom_score_adj",
  "pull_policy", "platform", "cpu_quota", "cpu_period", "cpuset", "mem_swappiness", "oom_kill_disable", "userns_mode",
  "runtime", "cgroup_parent", "device_cgroup_rules",
] as const;

/** Straight copies: compose key → RunSpec field (the schema already checked the type). */
const direct: [string, keyof RunSpec][] = [
  ["hostname", "hostname"], ["domainname", "domainname"], ["user", "user"], ["working_dir", "workingDir"],
  ["privileged", "privileged"], ["init", "init"], ["tty", "tty"], ["stdin_open", "interactive"], ["read_only", "readOnly"],
  ["pid", "pid"], ["ipc", "ipc"], ["mac_address", "macAddress"], ["oom_score_adj", "oomScoreAdj"], ["platform", "platform"],
  ["stop_signal", "stopSignal"], ["cpu_shares", "cpuShares"], ["shm_size", "shmSize"], ["pids_limit", "pidsLimit"],
  ["mem_reservation", "memoryReservation"], ["memswap_limit", "memorySwap"], ["cpu_quota", "cpuQuota"],
  ["cpu_period", "cpuPeriod"], ["cpuset", "cpusetCpus"], ["mem_swappiness", "memorySwappiness"],
  ["oom_kill_disable", "oomKillDisable"], ["userns_mode", "userns"], ["runtime", "runtime"], ["cgroup_parent", "cgroupParent"],
];

const numeric = new Set(["cpu_shares", "pids_limit", "cpu_quota", "cpu_period", "mem_swappiness", "oom_score_adj"]);

const lists: [string, keyof RunSpec][] = [
  ["cap_add", "capAdd"], ["cap_drop", "capDrop"], ["security_opt", "securityOpt"], ["group_add", "groupAdd"],
  ["dns", "dns"], ["dns_search", "dnsSearch"], ["dns_opt", "dnsOptions"], ["device_cgroup_rules", "deviceCgroupRules"],
];

export function convertService(ctx: ConvertContext, name: string, svc: Record<string, unknown>, path: string, origins: Origins): RunSpec | undefined {
  only(ctx, svc, path, SERVICE_KEYS);
  const spec: RunSpec = { image: "" };
  const set = <K extends keyof RunSpec>(field: K, value: RunSpec[K], key: string) => {
    spec[field] = value;
    origins.set(field, childPath(path, key));
  };
  const image = own(svc, "image");
  if (image !== undefined) set("image", scalarText(image), "image");
  else if (own(svc, "build") !== undefined) set("image", `${ctx.project}_${name}`.toLowerCase(), "build");
  else fail(ctx, "value", path, `the service "${name}" needs an image or a build`);

  for (const key of ["command", "entrypoint"] as const) {
    const v = own(svc, key);
    if (v === undefined || v === null) continue;
    if (typeof v === "string") {
      const words = shlexSplit(v);
      if (!words.ok) fail(ctx, "value", childPath(path, key), words.error);
      else set(key, words.words, key);
    } else set(key, stringList(v), key);
  }
  for (const [key, field] of direct) {
    const v = own(svc, key);
    // The schema lets some counts be strings ("512"); RunSpec wants the number.
    if (v !== undefined && v !== null) set(field, (numeric.has(key) && typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v) as never, key);
  }
  for (const [key, field] of lists) {
    const v = stringList(own(svc, key));
    if (v.length > 0) set(field, v as never, key);
  }
  const cpus = own(svc, "cpus");
  if (cpus !== undefined) set("cpus", Number(cpus), "cpus");
  const memory = own(svc, "mem_limit");
  if (memory !== undefined) set("memory", memory as string, "mem_limit");

  environment(ctx, svc, path, spec, origins);
  if (own(svc, "labels") !== undefined) set("labels", toRecord(ctx, own(svc, "labels"), childPath(path, "labels")), "labels");
  if (own(svc, "sysctls") !== undefined) set("sysctls", toRecord(ctx, own(svc, "sysctls"), childPath(path, "sysctls")), "sysctls");
  const hosts = own(svc, "extra_hosts");
  if (hosts !== undefined) {
    const entries = Array.isArray(hosts) ? hosts.map((h) => parseHostEntry(scalarText(h))) : listOrDict(hosts).map(([host, ip]) => ({ value: { host, ip: ip ?? "" } }));
    const ok = entries.flatMap((e, i) => ("error" in e ? (fail(ctx, "value", childPath(childPath(path, "extra_hosts"), i), e.error), []) : [e.value]));
    set("addHosts", ok, "extra_hosts");
  }
  const restart = own(svc, "restart");
  if (restart !== undefined) {
    const r = parseRestart(scalarText(restart));
    if ("error" in r) fail(ctx, "value", childPath(path, "restart"), r.error);
    else for (const [k, v] of Object.entries(r.value)) set(k as "restart", v as never, "restart");
  }
  const grace = own(svc, "stop_grace_period");
  if (grace !== undefined) {
    const ns = parseDuration(scalarText(grace));
    if (ns === undefined || ns < 0) fail(ctx, "value", childPath(path, "stop_grace_period"), `invalid duration "${scalarText(grace)}": use a number with a unit ms, s, m or h (e.g. 30s)`);
    else set("stopTimeout", Math.floor(ns / 1e9), "stop_grace_period");
  }
  ulimits(ctx, svc, path, spec, origins);
  const devices = stringList(own(svc, "devices"));
  if (devices.length > 0) {
    const parsed = devices.map((d, i) => {
      const r = parseDevice(d);
      return "error" in r ? fail(ctx, "value", childPath(childPath(path, "devices"), i), r.error) : r.value;
    });
    set("devices", parsed.filter((d) => d !== undefined), "devices");
  }
  const logging = own(svc, "logging");
  only(ctx, logging, childPath(path, "logging"), ["driver", "options"]);
  if (own(logging, "driver") !== undefined) set("logDriver", scalarText(own(logging, "driver")), "logging");
  if (isRecord(own(logging, "options"))) set("logOpts", toRecord(ctx, own(logging, "options"), dotted(path, "logging.options")), "logging");
  healthcheck(ctx, svc, path, spec, origins);
  deployResources(ctx, svc, path, spec, origins);
  convertPorts(ctx, svc, path, spec, origins);
  convertVolumes(ctx, svc, path, name, spec, origins);
  return spec;
}

const dotted = (path: string, keys: string) => keys.split(".").reduce(childPath, path);

/** env_file(s) first, then `environment` wins; `KEY` alone takes .env's value (or stays unset). */
function environment(ctx: ConvertContext, svc: Record<string, unknown>, path: string, spec: RunSpec, origins: Origins) {
  const env = new Map<string, string | null>();
  const files = own(svc, "env_file");
  stringList(files).forEach((file, i) => {
    const p = Array.isArray(files) ? childPath(childPath(path, "env_file"), i) : childPath(path, "env_file");
    const abs = pathInFolder(ctx, file, p);
    if (abs === undefined) return;
    const text = ctx.readFile?.(abs);
    if (text === undefined) return fail(ctx, "file", p, `cannot read the env file "${file}"`);
    const parsed = parseDotenv(text);
    if (!parsed.ok) return fail(ctx, "file", p, `${file}, line ${parsed.line}: ${parsed.message}`);
    for (const [k, v] of parsed.values) env.set(k, v);
  });
  for (const [k, v] of listOrDict(own(svc, "environment"))) env.set(k, v ?? ctx.vars.get(k) ?? null);
  if (env.size === 0) return;
  spec.env = [...env].map(([k, v]) => (v === null ? k : `${k}=${v}`));
  origins.set("env", childPath(path, own(svc, "environment") !== undefined ? "environment" : "env_file"));
}

function ulimits(ctx: ConvertContext, svc: Record<string, unknown>, path: string, spec: RunSpec, origins: Origins) {
  const u = own(svc, "ulimits");
  if (!isRecord(u)) return;
  const out: UlimitSpec[] = [];
  for (const name of Object.keys(u)) {
    const v = u[name];
    const soft = isRecord(v) ? Number(own(v, "soft")) : Number(v);
    const hard = isRecord(v) ? Number(own(v, "hard")) : undefined;
    origins.set(`ulimits[${out.length}]`, childPath(childPath(path, "ulimits"), name));
    out.push({ name: name as UlimitSpec["name"], soft, ...(hard !== undefined && hard !== soft ? { hard } : {}) });
  }
  spec.ulimits = out;
  origins.set("ulimits", childPath(path, "ulimits"));
}

function healthcheck(ctx: ConvertContext, svc: Record<string, unknown>, path: string, spec: RunSpec, origins: Origins) {
  const h = own(svc, "healthcheck");
  if (!isRecord(h)) return;
  const p = childPath(path, "healthcheck");
  only(ctx, h, p, ["test", "interval", "timeout", "start_period", "retries", "disable"]);
  const out: HealthcheckSpec = {};
  const test = own(h, "test");
  if (own(h, "disable") === true) out.none = true;
  else if (typeof test === "string") out.cmd = test;
  else if (Array.isArray(test)) {
    const [kind, ...rest] = test.map(scalarText);
    if (kind === "NONE") out.none = true;
    else if (kind === "CMD") out.cmd = rest;
    else if (kind === "CMD-SHELL") out.cmd = rest.join(" ");
    else fail(ctx, "value", childPath(p, "test"), `a list must start with CMD, CMD-SHELL or NONE, not "${kind ?? ""}"`);
  }
  for (const [key, field] of [["interval", "interval"], ["timeout", "timeout"], ["start_period", "startPeriod"]] as const) {
    if (own(h, key) !== undefined) out[field] = scalarText(own(h, key));
  }
  if (own(h, "retries") !== undefined) out.retries = Number(own(h, "retries"));
  spec.healthcheck = out;
  origins.set("healthcheck", p);
}

/** deploy.resources limits (memory, cpus, pids) and reservations.memory; replicas are read by the loader. */
function deployResources(ctx: ConvertContext, svc: Record<string, unknown>, path: string, spec: RunSpec, origins: Origins) {
  const deploy = own(svc, "deploy");
  const p = childPath(path, "deploy");
  only(ctx, deploy, p, ["replicas", "resources"]);
  const resources = own(deploy, "resources");
  only(ctx, resources, childPath(p, "resources"), ["limits", "reservations"]);
  const limits = own(resources, "limits");
  const reservations = own(resources, "reservations");
  only(ctx, limits, dotted(p, "resources.limits"), ["memory", "cpus", "pids"]);
  only(ctx, reservations, dotted(p, "resources.reservations"), ["memory"]);
  const same = (field: keyof RunSpec, v: unknown, key: string, other: string) => {
    if (v === undefined) return;
    const lp = dotted(p, key);
    if (spec[field] !== undefined && String(spec[field]) !== String(v)) return void fail(ctx, "value", lp, `differs from ${other}: give one of them`);
    (spec as Record<string, unknown>)[field] = field === "cpus" ? Number(v) : v;
    origins.set(field, lp);
  };
  same("memory", own(limits, "memory"), "resources.limits.memory", "mem_limit");
  same("cpus", own(limits, "cpus"), "resources.limits.cpus", "cpus");
  same("pidsLimit", own(limits, "pids"), "resources.limits.pids", "pids_limit");
  same("memoryReservation", own(reservations, "memory"), "resources.reservations.memory", "mem_reservation");
}
