"use client";
/** Resources, security & runtime, logging and healthcheck: the flags Portainer leaves out. */
import type { HealthcheckSpec, UlimitSpec } from "~/runtime/run-spec/index";
import { formatDevice, formatGpus, formatUlimit, parseDevice, parseGpus, parseUlimit } from "~/runtime/run-spec/syntax-misc";
import { Check, ErrorText, Lines, MapLines, num, Section, Select, Text, useFormApi } from "./form-kit";

export function ResourcesSection() {
  return (
    <Section title="Resources">
      <Text k="memory" label="Memory" placeholder="512m" hint="-m: bytes or with unit b, k, m, g" />
      <Text k="memoryReservation" label="Memory reservation" placeholder="256m" />
      <Text k="memorySwap" label="Memory + swap" placeholder="1g" hint="--memory-swap; -1: unlimited swap" />
      <Text k="memorySwappiness" label="Memory swappiness" numeric hint="0–100" />
      <Text k="cpus" label="CPUs" numeric placeholder="1.5" hint="--cpus" />
      <Text k="cpuShares" label="CPU shares" numeric placeholder="1024" hint="-c (relative weight)" />
      <Text k="cpuPeriod" label="CPU period" numeric hint="--cpu-period (µs)" />
      <Text k="cpuQuota" label="CPU quota" numeric hint="--cpu-quota (µs)" />
      <Text k="cpusetCpus" label="Cpuset CPUs" placeholder="0-3 or 0,1" />
      <Text k="cpusetMems" label="Cpuset memory nodes" placeholder="0" />
      <Text k="pidsLimit" label="PIDs limit" numeric hint="-1: unlimited" />
      <Text k="shmSize" label="Shm size" placeholder="64m" hint="size of /dev/shm" />
      <Text k="blkioWeight" label="Block IO weight" numeric hint="10–1000" />
      <Text k="oomScoreAdj" label="OOM score adjustment" numeric hint="-1000–1000" />
      <Check k="oomKillDisable" label="Disable OOM killer (--oom-kill-disable)" />
      <Text k="cgroupParent" label="Cgroup parent" />
      <Lines<UlimitSpec> k="ulimits" label="Ulimits (--ulimit)" hint="one per line: nofile=1024:2048" parse={parseUlimit} format={formatUlimit} rows={2} />
      <Lines k="devices" label="Devices (--device)" hint="one per line: /dev/host[:/dev/container[:rwm]]" parse={parseDevice} format={formatDevice} rows={2} />
      <Lines k="deviceCgroupRules" label="Device cgroup rules" hint="one per line: c 1:3 mr" rows={2} />
      <GpusField />
    </Section>
  );
}

function GpusField() {
  const f = useFormApi();
  const text = f.spec.gpus ? formatGpus(f.spec.gpus) : "";
  return (
    <Lines
      k="gpus"
      label="GPUs (--gpus)"
      hint={`all, a count, or "device=0,1",capabilities=compute${text ? ` (now: ${text})` : ""}`}
      rows={1}
      parse={parseGpus}
      format={formatGpus}
      read={(v) => (v ? [v as NonNullable<typeof f.spec.gpus>] : [])}
      write={(items) => items[items.length - 1]}
    />
  );
}

export function SecuritySection() {
  return (
    <Section title="Security & runtime">
      <Check k="privileged" label="Privileged (--privileged)" />
      <Check k="readOnly" label="Read-only root filesystem (--read-only)" />
      <Lines k="capAdd" label="Capabilities to add (--cap-add)" hint="one per line: NET_ADMIN, SYS_TIME, ALL" rows={2} />
      <Lines k="capDrop" label="Capabilities to drop (--cap-drop)" hint="one per line: MKNOD, ALL" rows={2} />
      <Lines k="securityOpt" label="Security options (--security-opt)" hint="one per line: no-new-privileges, apparmor=unconfined, seccomp=unconfined" rows={2} />
      <MapLines k="sysctls" label="Sysctls (--sysctl)" hint="one per line: net.core.somaxconn=1024" />
      <Text k="pid" label="PID mode" placeholder="host or container:NAME" hint="--pid" />
      <Text k="ipc" label="IPC mode" placeholder="private, shareable, host, none, container:NAME" hint="--ipc" />
      <Text k="uts" label="UTS mode" placeholder="host" hint="--uts" />
      <Select k="cgroupns" label="Cgroup namespace mode" options={[["", "engine default"], ["private", "private"], ["host", "host"]]} />
      <Text k="userns" label="User namespace mode" placeholder="host" hint="--userns" />
      <Lines k="groupAdd" label="Additional groups (--group-add)" rows={2} />
      <Text k="runtime" label="Runtime" placeholder="runc" hint="--runtime" />
      <Text k="stopSignal" label="Stop signal" placeholder="SIGTERM" hint="--stop-signal" />
      <Text k="stopTimeout" label="Stop timeout" numeric hint="--stop-timeout, seconds" />
    </Section>
  );
}

export function LoggingSection() {
  return (
    <Section title="Logging">
      <Text k="logDriver" label="Log driver" placeholder="json-file (engine default)" hint="--log-driver" />
      <MapLines k="logOpts" label="Log driver options (--log-opt)" hint="one per line: max-size=10m" />
    </Section>
  );
}

const healthKeys = ["interval", "timeout", "startPeriod", "startInterval"] as const;
const healthLabels: Record<(typeof healthKeys)[number], string> = {
  interval: "Interval", timeout: "Timeout", startPeriod: "Start period", startInterval: "Start interval",
};

export function HealthSection() {
  const f = useFormApi();
  const hc = f.spec.healthcheck ?? {};
  const put = (key: keyof HealthcheckSpec, value: unknown) => {
    const next: Record<string, unknown> = { ...hc, [key]: value };
    if (value === undefined || value === "") delete next[key];
    f.set("healthcheck", Object.keys(next).length ? next : undefined);
  };
  const text = (key: keyof HealthcheckSpec, label: string, hint: string) => (
    <div className="field" key={key}>
      <label>
        <span>{label}</span>
        <input
          value={typeof hc[key] === "object" ? (hc[key] as string[]).join(" ") : String(hc[key] ?? "")}
          onChange={(e) => put(key, key === "retries" ? num(e.target.value) : e.target.value)}
        />
      </label>
      <small className="muted">{hint}</small>
      <ErrorText messages={[f.err(`healthcheck.${key}`)]} />
    </div>
  );
  return (
    <Section title="Healthcheck">
      <label className="check">
        <input type="checkbox" checked={hc.none === true} onChange={(e) => put("none", e.target.checked ? true : undefined)} />
        <span>No healthcheck (--no-healthcheck)</span>
      </label>
      <ErrorText messages={[f.err("healthcheck.none")]} />
      {text("cmd", "Health command", "--health-cmd, run in a shell")}
      {healthKeys.map((k) => text(k, healthLabels[k], `--health-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: e.g. 30s`))}
      {text("retries", "Retries", "--health-retries")}
    </Section>
  );
}
