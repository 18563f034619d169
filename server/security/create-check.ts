/**
 * Which parts of a create spec (a RunSpec: the form, a pasted `docker run`, a
 * Duplicate) an environment's security settings refuse to a non-administrator.
 * Pure: the caller (enforce.ts) decides who is checked and inspects the
 * containers a spec refers to.
 *
 * The spec arrives unchecked (the runtime validates it after this), so every
 * field is read defensively: a value of the wrong type counts as set, never as
 * absent. The runtime refuses it anyway; this check must not be the way round it.
 */
import { volumeNamePattern } from "~/runtime/run-spec/schema";
import { switchLabels, type SecuritySettings, type SecuritySwitch } from "./switches";

export interface SecurityRefusal {
  /** The spec's field, as the create form and its errors name it: `volumes[0].source`, `privileged`. */
  field: string;
  setting: SecuritySwitch;
  /** `volumes[0].source: Bind mounts are not allowed … (setting: Allow bind mounts)`. */
  message: string;
}

/** What the check needs to know of a container the spec shares from (`--volumes-from`, `--network container:…`). */
export interface ReferencedContainer {
  /** It has a bind mount (a host path): sharing its volumes shares the host path. */
  binds: boolean;
  networkMode: string;
  pidMode: string;
  ipcMode: string;
}

/** Security options that keep confinement as it is; every other one (seccomp, apparmor, label, systempaths) lifts some of it. */
const HARMLESS_SECURITY_OPT = /^no-new-privileges(?:[:=](?:true|false))?$/;
const NAMESPACE_FIELDS = ["pid", "network", "ipc", "uts", "userns", "cgroupns"] as const;
const FLAG: Record<(typeof NAMESPACE_FIELDS)[number], string> = {
  pid: "--pid",
  network: "--network",
  ipc: "--ipc",
  uts: "--uts",
  userns: "--userns",
  cgroupns: "--cgroupns",
};

const present = (v: unknown) => v !== undefined && v !== null;
/** A list field; a present non-list counts as one entry (so it is checked, not skipped). */
const entries = (v: unknown): unknown[] => (Array.isArray(v) ? v : present(v) ? [v] : []);
const objectOf = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/** A map or list given with anything in it (a present value of another type counts as non-empty). */
const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v && typeof v === "object" ? Object.keys(v).length > 0 : present(v) && v !== false);

/** The container named by a `container:<name|id>` namespace mode, if it is one. */
export function sharedContainer(mode: unknown): string | undefined {
  return typeof mode === "string" && mode.startsWith("container:") ? mode.slice("container:".length) : undefined;
}

/** The containers a spec shares volumes or namespaces from: enforce.ts inspects these before calling specRefusals. */
export function referencedContainers(spec: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const v of entries(spec.volumesFrom)) {
    const c = objectOf(v).container;
    if (typeof c === "string" && c) names.add(c);
  }
  for (const f of ["network", "pid", "ipc"] as const) {
    const c = sharedContainer(spec[f]);
    if (c) names.add(c);
  }
  return [...names];
}

function refusal(field: string, setting: SecuritySwitch, what: string): SecurityRefusal {
  return { field, setting, message: `${field}: ${what} not allowed for non-administrators on this environment (setting: ${switchLabels[setting].short})` };
}

/** A `-v` source that is not a volume name is a host path (the engine reads it as one, or refuses it). */
function isBindSource(source: unknown): boolean {
  if (!present(source)) return false;
  return typeof source !== "string" || !volumeNamePattern.test(source);
}

function bindRefusals(spec: Record<string, unknown>, containers: Record<string, ReferencedContainer | undefined>): SecurityRefusal[] {
  const out: SecurityRefusal[] = [];
  entries(spec.volumes).forEach((v, i) => {
    const source = typeof v === "string" ? v : objectOf(v).source;
    if (isBindSource(source)) out.push(refusal(`volumes[${i}].source`, "allowBindMounts", `Bind mounts (host path "${String(source).slice(0, 100)}") are`));
  });
  entries(spec.mounts).forEach((m, i) => {
    const mount = objectOf(m);
    if (mount.type !== "volume" && mount.type !== "tmpfs") out.push(refusal(`mounts[${i}].type`, "allowBindMounts", "Bind mounts are"));
    // The local driver mounts whatever `device` names with `o=bind`: a bind mount by another name.
    else if (nonEmpty(mount.volumeOpts)) out.push(refusal(`mounts[${i}].volumeOpts`, "allowBindMounts", "Volume options (they can bind a host path) are"));
  });
  entries(spec.volumesFrom).forEach((v, i) => {
    const name = objectOf(v).container;
    if (typeof name === "string" && containers[name]?.binds)
      out.push(refusal(`volumesFrom[${i}].container`, "allowBindMounts", `Volumes from "${name.slice(0, 100)}", which has bind mounts, are`));
  });
  return out;
}

function namespaceRefusals(spec: Record<string, unknown>, containers: Record<string, ReferencedContainer | undefined>): SecurityRefusal[] {
  const out: SecurityRefusal[] = [];
  for (const f of NAMESPACE_FIELDS) {
    const v = spec[f];
    if (!present(v)) continue;
    const shared = sharedContainer(v);
    if (shared !== undefined) {
      const c = containers[shared];
      const mode = f === "network" ? c?.networkMode : f === "pid" ? c?.pidMode : f === "ipc" ? c?.ipcMode : undefined;
      if (mode === "host") out.push(refusal(f, "allowHostNamespaces", `Sharing the namespace of "${shared.slice(0, 100)}", which uses the host's (${FLAG[f]} host), is`));
    } else if (typeof v !== "string" || v.trim().toLowerCase() === "host") {
      out.push(refusal(f, "allowHostNamespaces", `The host's namespace (${FLAG[f]} host) is`));
    }
  }
  return out;
}

/**
 * Every part of `spec` the settings refuse to a non-administrator, in the
 * form's order. `containers`: what enforce.ts learnt of referencedContainers(spec)
 * (one it could not inspect is absent: the engine refuses the create then).
 */
export function specRefusals(
  spec: Record<string, unknown>,
  settings: SecuritySettings,
  containers: Record<string, ReferencedContainer | undefined> = {},
): SecurityRefusal[] {
  const out: SecurityRefusal[] = [];
  if (!settings.allowBindMounts) out.push(...bindRefusals(spec, containers));
  if (!settings.allowHostNamespaces) out.push(...namespaceRefusals(spec, containers));
  if (!settings.allowDevices) {
    if (nonEmpty(spec.devices)) out.push(refusal("devices", "allowDevices", "Device mapping (--device) is"));
    if (nonEmpty(spec.deviceCgroupRules)) out.push(refusal("deviceCgroupRules", "allowDevices", "Device cgroup rules (--device-cgroup-rule) are"));
    if (present(spec.gpus)) out.push(refusal("gpus", "allowDevices", "GPUs (--gpus) are"));
  }
  if (!settings.allowCapabilities && nonEmpty(spec.capAdd)) out.push(refusal("capAdd", "allowCapabilities", "Added capabilities (--cap-add) are"));
  if (!settings.allowSysctls && nonEmpty(spec.sysctls)) out.push(refusal("sysctls", "allowSysctls", "Sysctls (--sysctl) are"));
  if (!settings.allowPrivileged) {
    if (present(spec.privileged) && spec.privileged !== false) out.push(refusal("privileged", "allowPrivileged", "Privileged mode (--privileged) is"));
    entries(spec.securityOpt).forEach((o, i) => {
      if (typeof o !== "string" || !HARMLESS_SECURITY_OPT.test(o.trim()))
        out.push(refusal(`securityOpt[${i}]`, "allowPrivileged", "Security options that lift confinement (--security-opt) are"));
    });
  }
  return out;
}
