/**
 * A compose project as Berth deploys it: the contract between the compose
 * library (runtime/compose/: YAML → schema check → interpolation → this model)
 * and the stacks capability (runtime/stacks/: this model → engine objects).
 *
 * Pure TypeScript, no dockerode and no Node APIs beyond what the loader is
 * handed (a `readFile` for env_file, secrets and configs), so app/ can import
 * the same loader to check a file as it is typed.
 *
 * Each service carries a RunSpec (runtime/run-spec): the same model the create
 * form and `docker run` use, so one converter builds the engine's create body
 * and the environment's security rules check a stack exactly as a container.
 */
import type { RunSpec } from "../run-spec/schema";

/** Where in the file something was written: 1-based line and column, and the key path (`services.web.ports[0]`). */
export interface ComposeLocation {
  line?: number;
  column?: number;
  path: string;
}

/** Every problem a file has is one of these: invalid YAML, a schema violation, an unknown or unsupported key, a missing variable. */
export interface ComposeError extends ComposeLocation {
  /** `yaml` | `schema` | `unsupported` | `variable` | `value` (a value Berth or Docker refuses) | `file` (an env_file/secret not readable). */
  kind: "yaml" | "schema" | "unsupported" | "variable" | "value" | "file";
  /** Says the line and key, e.g. `line 7, services.web.volumez: unknown key "volumez"`. */
  message: string;
}

export const dependsOnConditions = ["service_started", "service_healthy", "service_completed_successfully"] as const;
export type DependsOnCondition = (typeof dependsOnConditions)[number];

export interface ServiceNetwork {
  /** The network's key in the file (`default`, `backend`); the engine name is `ComposeProject.networks[key].name`. */
  key: string;
  aliases?: string[];
  ipv4Address?: string;
  ipv6Address?: string;
}

export interface ServiceBuild {
  /** Relative to the stack folder (never outside it); "." is the folder. */
  context: string;
  dockerfile?: string;
  args?: Record<string, string>;
  target?: string;
}

export interface ComposeService {
  name: string;
  /**
   * What `docker run` would get for one replica: image, command, env (env_file
   * merged, `environment` winning), ports, volumes/mounts (named volumes by their
   * engine name `PROJECT_vol`, binds made absolute from the stack folder, secrets
   * and configs as read-only bind mounts), restart, healthcheck, resources…
   * Not set here: `name` (the stack engine names containers), `ip`/`networkAliases`
   * (from `networks`), and the compose labels. `network` is set only from `network_mode`
   * (`host`, `none`, `bridge`, `container:NAME`; not `service:NAME`, which the engine resolves),
   * so the security check sees a host network as it does for `docker run --network host`.
   */
  spec: RunSpec;
  /** `image:` may be absent when `build:` names the image (`PROJECT_SERVICE` as compose 1.29 names it). */
  build?: ServiceBuild;
  /** Attached in this order; the first one at create, the rest connected before start. Empty with `networkMode`. */
  networks: ServiceNetwork[];
  /** `host`, `none`, `service:NAME` or `container:NAME`, when the service is not on project networks. */
  networkMode?: string;
  dependsOn: { service: string; condition: DependsOnCondition; required?: boolean }[];
  /** `deploy.replicas` or `scale`; 1 by default. */
  replicas: number;
  profiles: string[];
  /** `pull_policy` when given (`always`, `missing`, `never`, `build`). */
  pullPolicy?: "always" | "missing" | "never" | "build" | "if_not_present";
  /** `container_name`: only with one replica. */
  containerName?: string;
  /** The line the service's key is on. */
  line?: number;
  /**
   * The service's resolved configuration (after interpolation and defaults), the
   * input of the config hash: two loads of equivalent files give equal values.
   */
  config: Record<string, unknown>;
}

export interface ComposeNetwork {
  /** The key in the file. */
  key: string;
  /** The engine's name: `PROJECT_key`, or `name:`, or the external network's name. */
  name: string;
  external: boolean;
  driver?: string;
  driverOpts?: Record<string, string>;
  ipam?: { driver?: string; config: { subnet?: string; gateway?: string; ipRange?: string; auxAddresses?: Record<string, string> }[] };
  internal?: boolean;
  attachable?: boolean;
  enableIpv6?: boolean;
  labels?: Record<string, string>;
}

export interface ComposeVolume {
  key: string;
  /** The engine's name: `PROJECT_key`, or `name:`, or the external volume's name. */
  name: string;
  external: boolean;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface ComposeProject {
  /** The project name (`-p`), lowercase as compose requires: `[a-z0-9][a-z0-9_-]*`. */
  name: string;
  /** Services in the file's order (deploy order comes from depends_on). */
  services: ComposeService[];
  /** Keyed by the file's key; `default` is present when a service uses it (compose: `PROJECT_default`). */
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  /** The file after interpolation, as YAML text (the editor's preview). */
  interpolated: string;
  /** Non-fatal remarks (a `version:` key that compose ignores, a profile not enabled). */
  warnings: string[];
}

export interface LoadInput {
  /** The project name. */
  name: string;
  /** compose.yaml's text. */
  file: string;
  /** .env's text (KEY=value lines as compose reads them). */
  env?: string;
  /** The stack folder: relative paths (build context, binds, env_file, secrets) resolve against it. */
  workingDir: string;
  /** Reads a file of the stack folder (env_file, secrets, configs): undefined when it cannot be read. */
  readFile?: (absolutePath: string) => string | undefined;
  /** Profiles to enable (`--profile`); services with profiles not listed are left out. */
  profiles?: string[];
}

export type LoadResult = { ok: true; project: ComposeProject } | { ok: false; errors: ComposeError[] };

/** Compose's labels, as the CLI writes and reads them. */
export const COMPOSE_LABELS = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  number: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
  configHash: "com.docker.compose.config-hash",
  workingDir: "com.docker.compose.project.working_dir",
  configFiles: "com.docker.compose.project.config_files",
  environmentFile: "com.docker.compose.project.environment_file",
  version: "com.docker.compose.version",
  network: "com.docker.compose.network",
  volume: "com.docker.compose.volume",
} as const;

/** The compose version Berth writes in `com.docker.compose.version` (the CLI it is checked against). */
export const COMPOSE_VERSION = "1.29.2";

/** A project name compose accepts. */
export const PROJECT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** A file's errors in one message: the first five (each names its line and key), and how many more. */
export function composeErrorsText(errors: ComposeError[]): string {
  const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : "";
  return `${errors.slice(0, 5).map((e) => e.message).join("; ")}${more}`;
}
