/**
 * An environment's security settings: what non-administrators (anyone who is
 * neither an Administrator nor an Environment administrator there) may do, as
 * Portainer has them. Every switch is off unless turned on: a container made
 * with `-v /:/host`, `--privileged` or the Docker socket mounted reads the
 * host's secrets and Berth's own runtime key.
 *
 * Pure zod, no database: imported by app/ (the settings form's labels) and by
 * the create check (create-check.ts).
 */
import { z } from "zod";

export const securitySwitches = [
  "allowBindMounts",
  "allowPrivileged",
  "allowHostNamespaces",
  "allowDevices",
  "allowCapabilities",
  "allowSysctls",
  "allowStackDeployment",
  "allowVolumeBrowsing",
  "allowConsole",
] as const;
export type SecuritySwitch = (typeof securitySwitches)[number];

/** The short name a refusal quotes ("setting: Allow bind mounts") and the form's checkbox label. */
export const switchLabels: Record<SecuritySwitch, { short: string; label: string; hint: string }> = {
  allowBindMounts: {
    short: "Allow bind mounts",
    label: "Allow bind mounts for non-administrators",
    hint: "Host paths in -v/--mount, volume options that bind a host path, and --volumes-from a container that has bind mounts.",
  },
  allowPrivileged: {
    short: "Allow privileged mode",
    label: "Allow privileged mode for non-administrators",
    hint: "--privileged, and --security-opt values that lift confinement (seccomp, AppArmor, SELinux, systempaths).",
  },
  allowHostNamespaces: {
    short: "Allow host namespaces",
    label: "Allow host PID, network, IPC, UTS, user and cgroup namespaces for non-administrators",
    hint: "--pid/--network/--ipc/--uts/--userns/--cgroupns host, or sharing those of a container that uses the host's.",
  },
  allowDevices: {
    short: "Allow device mapping",
    label: "Allow device mapping for non-administrators",
    hint: "--device, --device-cgroup-rule and --gpus.",
  },
  allowCapabilities: {
    short: "Allow added capabilities",
    label: "Allow added capabilities for non-administrators",
    hint: "--cap-add.",
  },
  allowSysctls: {
    short: "Allow sysctls",
    label: "Allow sysctls for non-administrators",
    hint: "--sysctl.",
  },
  allowStackDeployment: {
    short: "Allow stack deployment",
    label: "Allow stack deployment for non-administrators",
    hint: "Deploying and updating stacks.",
  },
  allowVolumeBrowsing: {
    short: "Allow volume and file browsing",
    label: "Allow volume and file browsing for non-administrators",
    hint: "Browsing, downloading and uploading files in volumes and containers.",
  },
  allowConsole: {
    short: "Allow the console",
    label: "Allow the console for non-administrators",
    hint: "Console (exec), attach and one-off commands in containers.",
  },
};

export const securitySettingsSchema = z.object(
  Object.fromEntries(securitySwitches.map((s) => [s, z.boolean().default(false)])) as Record<SecuritySwitch, z.ZodDefault<z.ZodBoolean>>,
);
export type SecuritySettings = z.output<typeof securitySettingsSchema>;

/** A change: any of the switches, nothing else (an unknown key is an error naming it). */
export const securityChangeSchema = z.strictObject(
  Object.fromEntries(securitySwitches.map((s) => [s, z.boolean({ error: "must be true or false" }).optional()])) as Record<
    SecuritySwitch,
    z.ZodOptional<z.ZodBoolean>
  >,
);
export type SecurityChange = z.output<typeof securityChangeSchema>;

export const ALL_OFF: SecuritySettings = securitySettingsSchema.parse({});

/**
 * The stored JSON as settings. Anything unreadable (not JSON, a switch that is
 * not a boolean) reads as off: a damaged column must not open the host.
 */
export function parseSecurity(json: string | null | undefined): SecuritySettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? "{}");
  } catch {
    return { ...ALL_OFF };
  }
  const out: SecuritySettings = { ...ALL_OFF };
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const s of securitySwitches) out[s] = (raw as Record<string, unknown>)[s] === true;
  }
  return out;
}
