/**
 * The stacks capability's wire contract: compose projects deployed natively
 * through the Engine API (no compose binary), their files in the data
 * directory (`stacks/NAME/compose.yaml` and `.env`), every deploy kept as a
 * version with the image digests it ran, the projects the compose CLI started
 * listed (and adopted when their file is readable), and the preflight checks
 * run before a stack or a template is deployed. Never imports dockerode.
 */
import { z } from "zod";
import { MIN } from "../protocol/deadlines";
import type { DeadlineRules, MethodTable } from "../protocol/registry";
import type { ComposeError } from "../compose/model";
import { PROJECT_NAME_PATTERN } from "../compose/model";
import { runSpecSchema, type RunSpec } from "../run-spec/schema";
import { taskOwnerSchema, type TaskSummary } from "../tasks/protocol";
import { registryAuthSchema } from "../protocol/registry-auth";

/** compose.yaml and .env are text a person writes: bounded so a paste cannot exhaust the runtime. */
export const MAX_COMPOSE_BYTES = 512 * 1024;
export const MAX_ENV_BYTES = 64 * 1024;

export const stackNameSchema = z
  .string({ error: "is required" })
  .min(1, "is required")
  .max(63, "must be at most 63 characters")
  .regex(PROJECT_NAME_PATTERN, "a compose project name: lowercase letters, digits, _ and -, starting with a letter or digit");

export const serviceNameSchema = z
  .string({ error: "is required" })
  .min(1, "is required")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a service name: letters, digits, _ . -, starting with a letter or digit");

const fileText = z.string({ error: "must be text" }).max(MAX_COMPOSE_BYTES, `must be at most ${MAX_COMPOSE_BYTES / 1024} KB`);
const envText = z.string({ error: "must be text" }).max(MAX_ENV_BYTES, `must be at most ${MAX_ENV_BYTES / 1024} KB`);
/**
 * Registry credentials for the images a deploy may pull, keyed by the image reference as the
 * file names it (the dashboard looks each up in its registries); never stored, never echoed.
 */
const imageAuths = z
  .record(z.string().min(1).max(1024), registryAuthSchema)
  .refine((m) => Object.keys(m).length <= 200, "at most 200 images")
  .optional();
/** Every registry login, for the base images of `build:` services (Docker's X-Registry-Config: base64 JSON). */
const registryConfig = z.string().max(64 * 1024).regex(/^[A-Za-z0-9+/=]*$/, "must be base64").optional();
/** The dashboard's ownership row for the stack: its id goes on every container as Berth's access label. */
const controlId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "must be a control id").optional();

export const stackRef = z.strictObject({ name: stackNameSchema });
export const pullPolicies = ["missing", "always"] as const;

export const preflightTargetSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("stack"), name: stackNameSchema, file: fileText, env: envText.default("") }),
  /** A container template or the create form: one RunSpec, `spec.name` is checked for conflicts. */
  z.strictObject({ kind: z.literal("container"), spec: runSpecSchema }),
]);

export const stacksMethods = {
  "stacks.list": z.strictObject({}),
  "stacks.get": stackRef,
  /** Check a file as it is typed: YAML, the Compose Specification's JSON schema, keys Berth supports, variables. */
  "stacks.check": z.strictObject({ name: stackNameSchema, file: fileText, env: envText.default("") }),
  /** A `docker run …` command as a compose service (the containers issue's parser, then RunSpec → service). */
  "stacks.convertRun": z.strictObject({
    command: z.string().min(1, "is required").max(64 * 1024, "must be at most 64 KB"),
    service: serviceNameSchema.optional(),
  }),
  "stacks.preflight": z.strictObject({ target: preflightTargetSchema }),
  /** Create or update: saves the files, then deploys as a task; only services whose config hash changed are recreated. */
  "stacks.deploy": z.strictObject({
    name: stackNameSchema,
    file: fileText,
    env: envText.default(""),
    owner: taskOwnerSchema,
    controlId,
    auths: imageAuths,
    registryConfig,
    pull: z.enum(pullPolicies, { error: "must be missing or always" }).default("missing"),
    removeOrphans: z.boolean().default(false),
    /** Recreate every service even when its config hash did not change (`--force-recreate`). */
    forceRecreate: z.boolean().default(false),
  }),
  /** Redeploys a version's file and env with the exact image digests it ran (`image@sha256:…`). */
  "stacks.rollback": z.strictObject({ name: stackNameSchema, version: z.number().int().min(1), owner: taskOwnerSchema, controlId, auths: imageAuths, registryConfig }),
  "stacks.action": z.strictObject({
    name: stackNameSchema,
    action: z.enum(["start", "stop", "restart"], { error: "must be start, stop or restart" }),
    /** One service only; absent: every service. */
    service: serviceNameSchema.optional(),
  }),
  "stacks.scale": z.strictObject({
    name: stackNameSchema,
    service: serviceNameSchema,
    replicas: z.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(100, "must be at most 100"),
    owner: taskOwnerSchema,
    controlId,
  }),
  /** `docker-compose down`: containers and the project's networks; named volumes and images only when asked. */
  "stacks.down": z.strictObject({
    name: stackNameSchema,
    volumes: z.boolean().default(false),
    images: z.enum(["none", "local", "all"]).default("none"),
    /** Also forget Berth's copy of the files and the versions (the stack leaves Berth's list). */
    removeFiles: z.boolean().default(false),
  }),
  "stacks.versions": stackRef,
  "stacks.version": z.strictObject({ name: stackNameSchema, version: z.number().int().min(1) }),
  "stacks.diff": z.strictObject({ name: stackNameSchema, from: z.number().int().min(1), to: z.number().int().min(1) }),
  /** Imports a CLI project's compose file (from its config_files label) so Berth manages it fully. */
  "stacks.adopt": z.strictObject({ name: stackNameSchema, owner: taskOwnerSchema }),
} as const satisfies MethodTable;

export type StackStatus = "running" | "partial" | "stopped" | "empty";

export interface StackContainer {
  id: string;
  name: string;
  service: string;
  /** `com.docker.compose.container-number`. */
  number: number;
  oneoff: boolean;
  state: string;
  status: string;
  health?: string;
  image: string;
  configHash?: string;
  /** stacks.get on a Berth stack: whether the container's config hash is the file's current one. */
  upToDate?: boolean;
  ports: { hostIp?: string; hostPort?: number; containerPort: number; protocol: string }[];
}

export interface StackSummary {
  name: string;
  /** berth: deployed or adopted by Berth (its file is in the data directory); cli: started elsewhere. */
  source: "berth" | "cli";
  status: StackStatus;
  /** Services with containers, and services in the file (berth stacks). */
  services: number;
  containers: { running: number; total: number };
  /** From the containers' labels (CLI projects): where the compose CLI ran and which files it read. */
  workingDir?: string;
  configFiles?: string[];
  /** A CLI project whose config files this runtime can read: Adopt imports them. */
  adoptable: boolean;
  /** Why a CLI project cannot be adopted (files not readable here), and what can be done. */
  adoptHint?: string;
  /** Newest version (berth stacks). */
  version?: number;
  updatedAt?: number;
  /** Berth's access label found on the project's containers (the dashboard's ownership row id). */
  controlId?: string;
}

export interface StackServiceDetail {
  name: string;
  image: string;
  /** Desired replicas from the file (0 when the service is not in the file: an orphan). */
  replicas: number;
  /** The hash of the file's current config for this service; containers with another hash are out of date. */
  configHash?: string;
  orphan: boolean;
  containers: StackContainer[];
}

export interface StackDetail extends Omit<StackSummary, "services"> {
  /** Berth's copy (absent for a CLI project not adopted). */
  file?: string;
  env?: string;
  /** Services in the file (and orphans: services with containers that the file no longer has). */
  services: StackServiceDetail[];
  networks: { name: string; id?: string; exists: boolean; external: boolean }[];
  volumes: { name: string; exists: boolean; external: boolean }[];
}

export interface StackCheckResult {
  ok: boolean;
  errors: ComposeError[];
  warnings: string[];
  /** The file after interpolation (when it parsed). */
  interpolated?: string;
  /** Each service's RunSpec, for the dashboard's security check (bind mounts, privileged…). */
  services: { name: string; image?: string; replicas: number; spec: RunSpec; /** Built from the stack folder (`build:`). */ build?: boolean }[];
  /** Variables the file uses, and whether .env gives them (the editor's hints). */
  variables: { name: string; set: boolean; hasDefault: boolean; required: boolean }[];
}

export type PreflightStatus = "pass" | "fail" | "warn";

export interface PreflightCheck {
  /** Stable id: `ports`, `image:nginx:latest`, `memory`, `vm.max_map_count`, `name`… */
  id: string;
  /** What was checked, e.g. "Host port 8080 is free". */
  title: string;
  status: PreflightStatus;
  /** What was found. */
  message: string;
  /** How to fix a failure, e.g. `sysctl -w vm.max_map_count=262144`. */
  fix?: string;
}

export interface PreflightResult {
  /** No check failed (warnings do not block). */
  ok: boolean;
  checks: PreflightCheck[];
}

export interface StackVersion {
  version: number;
  at: number;
  by?: { id: string; name: string };
  /** What made it: deploy, rollback (to which version), adopt, scale. */
  action: "deploy" | "rollback" | "adopt";
  rolledBackTo?: number;
  file: string;
  env: string;
  /** Service → the image it ran, pinned: `repo@sha256:…`, or the image id when it has no digest (built here). */
  digests: Record<string, string>;
}

export type StackVersionSummary = Omit<StackVersion, "file" | "env">;

export interface DiffLine {
  op: "same" | "add" | "remove";
  text: string;
  /** Line numbers in the older and newer text. */
  a?: number;
  b?: number;
}

export interface StackDiff {
  from: number;
  to: number;
  file: DiffLine[];
  env: DiffLine[];
  digests: { service: string; from?: string; to?: string }[];
}

/** What a deploy, rollback or scale task ends with. */
export interface DeployResult {
  name: string;
  version?: number;
  services: { name: string; action: "created" | "recreated" | "unchanged" | "scaled" | "removed" | "started"; containers: string[] }[];
  orphans: string[];
  warnings: string[];
}

export interface DownResult {
  name: string;
  removed: { containers: string[]; networks: string[]; volumes: string[]; images: string[] };
  /** What was kept and why (a named volume without `volumes`, an external network, an image in use). */
  kept: string[];
}

export interface StacksResults {
  "stacks.list": StackSummary[];
  "stacks.get": StackDetail;
  "stacks.check": StackCheckResult;
  "stacks.convertRun": { service: string; yaml: string; caveats: string[] };
  "stacks.preflight": PreflightResult;
  "stacks.deploy": { taskId: string; task: TaskSummary };
  "stacks.rollback": { taskId: string; task: TaskSummary };
  "stacks.action": { name: string; containers: { id: string; name: string; ok: boolean; message?: string }[] };
  "stacks.scale": { taskId: string; task: TaskSummary };
  "stacks.down": DownResult;
  "stacks.versions": StackVersionSummary[];
  "stacks.version": StackVersion;
  "stacks.diff": StackDiff;
  "stacks.adopt": { name: string; version: number; file: string };
}

export const stacksDeadlines: DeadlineRules = {
  "stacks.action": () => 5 * MIN,
  "stacks.down": () => 10 * MIN,
  "stacks.preflight": () => 2 * MIN,
  "stacks.get": () => MIN,
  "stacks.list": () => MIN,
};
