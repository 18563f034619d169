/**
 * The system capability's wire contract: `docker info` + `docker version`
 * (system.info), `docker system df -v` (system.df), and prune in two steps:
 * a preview of exactly what would go (system.prunePreview), then the removal
 * of exactly those items by id (system.pruneConfirm), each re-checked first.
 * Never imports dockerode.
 */
import { z } from "zod";
import { MIN, S } from "../protocol/deadlines";
import type { DeadlineRules, MethodTable } from "../protocol/registry";

export const pruneKinds = ["images", "containers", "volumes", "networks", "build-cache", "system"] as const;
export type PruneKind = (typeof pruneKinds)[number];

export const pruneItemTypes = ["container", "network", "volume", "image", "build-cache"] as const;
export type PruneItemType = (typeof pruneItemTypes)[number];

/** Which item types each kind removes (system: all of them, volumes only when asked, as `docker system prune --volumes`). */
export const kindTypes: Record<PruneKind, readonly PruneItemType[]> = {
  images: ["image"],
  containers: ["container"],
  volumes: ["volume"],
  networks: ["network"],
  "build-cache": ["build-cache"],
  system: pruneItemTypes,
};

/** The most items one confirm removes (a preview lists every candidate; the browser sends at most this many back). */
export const MAX_PRUNE_ITEMS = 5000;

/**
 * What to prune, as Docker's flags say it:
 * images `dangling` (`docker image prune`) or `all` unused (`-a`);
 * volumes `anonymous` (Docker 23+'s default) or `all` unused (`--all`);
 * build cache `dangling` (`docker builder prune`: unused and not shared with an image) or `all` unused (`-a`);
 * `volumes` for kind system: whether volumes are included (`docker system prune --volumes`).
 */
export const pruneOptionsSchema = z.strictObject({
  images: z.enum(["dangling", "all"], { message: 'must be "dangling" or "all"' }).default("dangling"),
  volumes: z.enum(["anonymous", "all"], { message: 'must be "anonymous" or "all"' }).default("anonymous"),
  buildCache: z.enum(["dangling", "all"], { message: 'must be "dangling" or "all"' }).default("dangling"),
  includeVolumes: z.boolean().default(false),
});
export type PruneOptions = z.output<typeof pruneOptionsSchema>;

/** Each type's id as Docker hands it out: full ids only (a prefix or a name could mean something else by the time of the confirm). */
export const pruneIdPatterns: Record<PruneItemType, { re: RegExp; says: string }> = {
  container: { re: /^[0-9a-f]{64}$/, says: "a full container id (64 hex characters)" },
  network: { re: /^[0-9a-f]{64}$/, says: "a full network id (64 hex characters)" },
  // Docker's rule for volume names (volume/local): what it hands out for anonymous ones is 64 hex characters.
  volume: { re: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,254}$/, says: "a volume name (letters, digits, _ . -, 2 to 255 characters)" },
  image: { re: /^sha256:[0-9a-f]{64}$/, says: "a full image id (sha256: and 64 hex characters)" },
  "build-cache": { re: /^[a-z0-9]{1,64}$/, says: "a build cache record id (lowercase letters and digits)" },
};

export const pruneItemRefSchema = z
  .strictObject({
    type: z.enum(pruneItemTypes, { message: `must be one of ${pruneItemTypes.join(", ")}` }),
    id: z.string().min(1, "is required").max(255, "must be at most 255 characters"),
  })
  .superRefine((item, ctx) => {
    const rule = pruneIdPatterns[item.type];
    if (!rule.re.test(item.id)) ctx.addIssue({ code: "custom", path: ["id"], message: `must be ${rule.says}` });
  });
export type PruneItemRef = z.output<typeof pruneItemRefSchema>;

export const prunePreviewInput = z.strictObject({
  kind: z.enum(pruneKinds, { message: `must be one of ${pruneKinds.join(", ")}` }),
  options: pruneOptionsSchema.default(pruneOptionsSchema.parse({})),
});

export const pruneConfirmInput = prunePreviewInput
  .extend({
    items: z.array(pruneItemRefSchema).min(1, "name at least one item from the preview").max(MAX_PRUNE_ITEMS, `at most ${MAX_PRUNE_ITEMS} items in one prune`),
  })
  .superRefine((v, ctx) => {
    const allowed = kindTypes[v.kind];
    v.items.forEach((item, i) => {
      if (!allowed.includes(item.type)) ctx.addIssue({ code: "custom", path: ["items", i, "type"], message: `a ${v.kind} prune removes only ${allowed.join(", ")} items` });
    });
  });
export type PruneConfirmInput = z.output<typeof pruneConfirmInput>;

export const systemMethods = {
  "system.info": z.strictObject({}),
  "system.df": z.strictObject({}),
  "system.prunePreview": prunePreviewInput,
  "system.pruneConfirm": pruneConfirmInput,
} as const satisfies MethodTable;

export interface SystemInfo {
  name: string;
  id: string;
  serverVersion: string;
  apiVersion: string;
  minApiVersion: string;
  gitCommit: string;
  goVersion: string;
  buildTime: string;
  experimental: boolean;
  /** containerd, runc, docker-init… with their versions, as `docker version` lists them. */
  components: { name: string; version: string }[];
  os: string;
  osType: string;
  osVersion: string;
  arch: string;
  kernel: string;
  cpus: number;
  /** Bytes. */
  memory: number;
  storageDriver: string;
  /** The driver's own status lines ("Backing Filesystem", "extfs"). */
  storageStatus: [string, string][];
  dataRoot: string;
  loggingDriver: string;
  cgroupDriver: string;
  cgroupVersion: string;
  runtimes: string[];
  defaultRuntime: string;
  registryMirrors: string[];
  insecureRegistries: string[];
  indexServerAddress: string;
  swarm: { state: string; nodeId: string; nodeAddr: string; controlAvailable: boolean; error: string; managers?: number; nodes?: number };
  plugins: { volume: string[]; network: string[]; log: string[]; authorization: string[] };
  containers: { total: number; running: number; paused: number; stopped: number };
  images: number;
  securityOptions: string[];
  liveRestore: boolean;
  labels: string[];
  proxies: { http: string; https: string; no: string };
  systemTime: string;
  warnings: string[];
}

/** One section of `docker system df`: the summary line; its rows are beside it. */
export interface DfTotals {
  total: number;
  active: number;
  /** Bytes. */
  size: number;
  /** Bytes that removing the inactive ones would free. */
  reclaimable: number;
}

export interface DfImage {
  id: string;
  tags: string[];
  digests: string[];
  parentId: string;
  created: number;
  size: number;
  /** Bytes shared with other images; -1 when the engine did not compute it. */
  sharedSize: number;
  /** Bytes only this image holds (size − shared). */
  uniqueSize: number;
  containers: number;
  labels: Record<string, string>;
}

export interface DfContainer {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  created: number;
  state: string;
  status: string;
  /** Bytes written in the container's own layer. */
  sizeRw: number;
  /** Bytes of its image plus its own layer ("virtual"). */
  sizeRootFs: number;
  /** Volumes it mounts, by name. */
  volumes: string[];
}

export interface DfVolume {
  name: string;
  driver: string;
  labels: Record<string, string>;
  mountpoint: string;
  scope: string;
  /** Containers referencing it; -1 when unknown. */
  links: number;
  /** Bytes; -1 when the driver does not say. */
  size: number;
}

export interface DfBuildCache {
  id: string;
  parent: string;
  type: string;
  description: string;
  inUse: boolean;
  shared: boolean;
  size: number;
  createdAt: string;
  lastUsedAt: string;
  usageCount: number;
}

export interface DiskUsage {
  images: DfTotals & { items: DfImage[] };
  containers: DfTotals & { items: DfContainer[] };
  volumes: DfTotals & { items: DfVolume[] };
  buildCache: DfTotals & { items: DfBuildCache[] };
  /** The engine's own total of image layers (what `docker system df` shows as the images' size). */
  layersSize: number;
}

/** One thing a prune would remove. */
export interface PruneItem {
  type: PruneItemType;
  id: string;
  /** Tags, or the name; "<none>" for an untagged image. */
  name: string;
  /** Bytes it frees; -1 when unknown. */
  size: number;
  /** What else a person should know: "and 2 untagged parent layers", "configured on stopped container web". */
  note?: string;
}

/** Something a prune of this kind looked at and keeps, and why (shown so the preview explains itself). */
export interface PruneKept {
  type: PruneItemType;
  id: string;
  name: string;
  reason: string;
}

export interface PrunePreview {
  kind: PruneKind;
  options: PruneOptions;
  items: PruneItem[];
  /** Sum of the items' sizes (bytes). */
  totalSize: number;
  /** Unused but kept (parents of kept images…); at most MAX_KEPT_SHOWN. */
  kept: PruneKept[];
  /** Facts about how this prune works here ("build cache is pruned by record id"). */
  notes: string[];
  /** More candidates than MAX_PRUNE_ITEMS: only the first ones are listed (and removable in one confirm). */
  truncated: boolean;
}

export const MAX_KEPT_SHOWN = 200;

export type PruneOutcome = "removed" | "skipped" | "failed";

export interface PruneResult {
  type: PruneItemType;
  id: string;
  name: string;
  outcome: PruneOutcome;
  /** Why it was skipped ("in use by container web") or the engine's error. */
  reason?: string;
  /** Bytes freed (removed items). */
  size: number;
}

export interface PruneConfirmResult {
  kind: PruneKind;
  results: PruneResult[];
  removed: number;
  skipped: number;
  failed: number;
  /** Bytes freed by the removed items. */
  spaceReclaimed: number;
}

export interface SystemResults {
  "system.info": SystemInfo;
  "system.df": DiskUsage;
  "system.prunePreview": PrunePreview;
  "system.pruneConfirm": PruneConfirmResult;
}

/** `system df` walks every volume's files; a confirm removes items one by one (each re-checked first). */
export const systemDeadlines: DeadlineRules = {
  "system.df": () => 2 * MIN,
  "system.prunePreview": () => 2 * MIN,
  "system.pruneConfirm": (input) => {
    const n = Array.isArray(input?.items) ? input.items.length : MAX_PRUNE_ITEMS;
    return 2 * MIN + n * S;
  },
};
