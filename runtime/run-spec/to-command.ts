/**
 * toDockerRun: RunSpec → the `docker run` command that creates the same container,
 * POSIX-quoted, on one line or one flag per line with ` \` continuations. It is
 * what the live preview shows and what parseDockerRun reads back to the same spec.
 */
import type { RunSpec } from "./schema";
import {
  formatDevice, formatGpus, formatRestart, formatTmpfs, formatUlimit,
} from "./syntax-misc";
import { formatMountSpec, formatPortSpec, formatVolumeSpec } from "./syntax-storage";
import { shellLine } from "./shell-quote";

export interface ToDockerRunOptions {
  /** One flag per line, joined with ` \` and a newline. */
  multiline?: boolean;
  /** `create` writes `docker create` (which has no -d). Default `run`. */
  subcommand?: "run" | "create";
  /** Indent of continuation lines (default two spaces). */
  indent?: string;
}

export function toDockerRun(spec: RunSpec, options: ToDockerRunOptions = {}): string {
  const subcommand = options.subcommand ?? "run";
  const lines = dockerRunArgs(spec, subcommand);
  const words = lines.map(shellLine);
  const head = `docker ${subcommand}`;
  if (!options.multiline) return [head, ...words].join(" ");
  const indent = options.indent ?? "  ";
  // The first short flags stay on the docker line (`docker run -d -it \`), as people write it.
  return [head, ...words].join(` \\\n${indent}`).replace(/^(docker \w+) \\\n\s+(-\w+)(?= \\\n| ?$)/, "$1 $2");
}

/** The command as argument groups (one flag and its value per group; the last group is the image and command). */
export function dockerRunArgs(spec: RunSpec, subcommand: "run" | "create" = "run"): string[][] {
  const out: string[][] = [];
  const flag = (name: string, value?: string | number) => out.push(value === undefined ? [name] : [name, String(value)]);
  const each = <T>(name: string, list: T[] | undefined, fmt: (v: T) => string = String) => list?.forEach((v) => flag(name, fmt(v)));
  const map = (name: string, m: Record<string, string> | undefined, bare = false) =>
    Object.entries(m ?? {}).forEach(([k, v]) => flag(name, bare && v === "" ? k : `${k}=${v}`));

  const short = `${spec.detach && subcommand === "run" ? "d" : ""}${spec.interactive ? "i" : ""}${spec.tty ? "t" : ""}`;
  if (short) flag(`-${short}`);
  if (spec.name) flag("--name", spec.name);
  if (spec.autoRemove) flag("--rm");
  if (spec.platform) flag("--platform", spec.platform);
  if (spec.alwaysPull) flag("--pull", "always");
  if (spec.init !== undefined) flag(spec.init ? "--init" : "--init=false");
  if (spec.hostname) flag("--hostname", spec.hostname);
  if (spec.domainname) flag("--domainname", spec.domainname);
  if (spec.user) flag("--user", spec.user);
  if (spec.workingDir) flag("--workdir", spec.workingDir);
  each("-e", spec.env);
  map("--label", spec.labels, true);
  const restart = formatRestart(spec);
  if (restart) flag("--restart", restart);

  if (spec.publishAll) flag("-P");
  each("-p", spec.ports, formatPortSpec);
  each("--expose", spec.expose);
  each("-v", spec.volumes, formatVolumeSpec);
  each("--mount", spec.mounts, formatMountSpec);
  each("--tmpfs", spec.tmpfs, formatTmpfs);
  each("--volumes-from", spec.volumesFrom, (v) => (v.mode ? `${v.container}:${v.mode}` : v.container));
  if (spec.volumeDriver) flag("--volume-driver", spec.volumeDriver);

  if (spec.network) flag("--network", spec.network);
  if (spec.ip) flag("--ip", spec.ip);
  if (spec.ip6) flag("--ip6", spec.ip6);
  each("--network-alias", spec.networkAliases);
  each("--link", spec.links, (l) => (l.alias ? `${l.container}:${l.alias}` : l.container));
  each("--dns", spec.dns);
  each("--dns-search", spec.dnsSearch);
  each("--dns-option", spec.dnsOptions);
  each("--add-host", spec.addHosts, (h) => `${h.host}:${h.ip}`);
  if (spec.macAddress) flag("--mac-address", spec.macAddress);

  if (spec.memory !== undefined) flag("--memory", spec.memory);
  if (spec.memoryReservation !== undefined) flag("--memory-reservation", spec.memoryReservation);
  if (spec.memorySwap !== undefined) flag("--memory-swap", spec.memorySwap);
  if (spec.memorySwappiness !== undefined) flag("--memory-swappiness", spec.memorySwappiness);
  if (spec.cpus !== undefined) flag("--cpus", spec.cpus);
  if (spec.cpuShares !== undefined) flag("--cpu-shares", spec.cpuShares);
  if (spec.cpuPeriod !== undefined) flag("--cpu-period", spec.cpuPeriod);
  if (spec.cpuQuota !== undefined) flag("--cpu-quota", spec.cpuQuota);
  if (spec.cpusetCpus) flag("--cpuset-cpus", spec.cpusetCpus);
  if (spec.cpusetMems) flag("--cpuset-mems", spec.cpusetMems);
  if (spec.pidsLimit !== undefined) flag("--pids-limit", spec.pidsLimit);
  if (spec.shmSize !== undefined) flag("--shm-size", spec.shmSize);
  each("--ulimit", spec.ulimits, formatUlimit);
  if (spec.oomKillDisable) flag("--oom-kill-disable");
  if (spec.oomScoreAdj !== undefined) flag("--oom-score-adj", spec.oomScoreAdj);
  each("--device", spec.devices, formatDevice);
  each("--device-cgroup-rule", spec.deviceCgroupRules);
  if (spec.gpus) flag("--gpus", formatGpus(spec.gpus));
  if (spec.blkioWeight !== undefined) flag("--blkio-weight", spec.blkioWeight);
  if (spec.cgroupParent) flag("--cgroup-parent", spec.cgroupParent);

  if (spec.privileged) flag("--privileged");
  each("--cap-add", spec.capAdd);
  each("--cap-drop", spec.capDrop);
  each("--security-opt", spec.securityOpt);
  if (spec.readOnly) flag("--read-only");
  map("--sysctl", spec.sysctls);
  if (spec.pid) flag("--pid", spec.pid);
  if (spec.ipc) flag("--ipc", spec.ipc);
  if (spec.uts) flag("--uts", spec.uts);
  if (spec.cgroupns) flag("--cgroupns", spec.cgroupns);
  if (spec.userns) flag("--userns", spec.userns);
  each("--group-add", spec.groupAdd);
  if (spec.runtime) flag("--runtime", spec.runtime);
  if (spec.stopSignal) flag("--stop-signal", spec.stopSignal);
  if (spec.stopTimeout !== undefined) flag("--stop-timeout", spec.stopTimeout);

  if (spec.logDriver) flag("--log-driver", spec.logDriver);
  map("--log-opt", spec.logOpts);

  const hc = spec.healthcheck;
  if (hc?.none) flag("--no-healthcheck");
  if (hc?.cmd !== undefined) flag("--health-cmd", typeof hc.cmd === "string" ? hc.cmd : shellLine(hc.cmd));
  if (hc?.interval) flag("--health-interval", hc.interval);
  if (hc?.timeout) flag("--health-timeout", hc.timeout);
  if (hc?.startPeriod) flag("--health-start-period", hc.startPeriod);
  if (hc?.startInterval) flag("--health-start-interval", hc.startInterval);
  if (hc?.retries) flag("--health-retries", hc.retries);

  // --entrypoint takes one word; the CLI cannot say more, so further words lead the command.
  const [entry, ...entryRest] = spec.entrypoint ?? [];
  if (spec.entrypoint) flag("--entrypoint", entry ?? "");
  out.push([spec.image, ...entryRest, ...(spec.command ?? [])]);
  return out;
}

/** What the command cannot say exactly, in words for the preview (empty when it is exact). */
export function dockerRunCaveats(spec: RunSpec): string[] {
  const notes: string[] = [];
  if ((spec.entrypoint?.length ?? 0) > 1)
    notes.push("entrypoint: docker run --entrypoint takes one word; the others are written as the start of the command");
  if (Array.isArray(spec.healthcheck?.cmd))
    notes.push("healthcheck.cmd: --health-cmd always runs in a shell; the exec form is written as a shell command");
  if (spec.macAddress) notes.push("macAddress: docker CLI 25+ refuses --mac-address against engines older than API 1.44");
  if (spec.healthcheck?.startInterval) notes.push("healthcheck.startInterval: needs engine API 1.44 (Docker 25)");
  return notes;
}
