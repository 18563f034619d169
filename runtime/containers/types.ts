/**
 * Inputs and results of the container operations beyond start/stop:
 * inspect, top, diff, kill, pause, rename, update, commit, recreate, networks,
 * bulk; part of the containers protocol (protocol.ts). Never imports dockerode.
 */
import { z } from "zod";
import { repositoryError, tagError } from "../run-spec/image-reference";
import { cpusToNano, parseBytes, parseSwapBytes } from "../run-spec/units";
import { containerIdSchema, containerName, containerRef } from "../protocol/ids";
import type { MethodTable } from "../protocol/registry";
import type { ActionResult, BulkItemResult } from "../protocol/action-result";
import { isSignal, signalError } from "./signals";


const containerId = containerIdSchema;
const ref = containerRef;

/** `SIGTERM`, `TERM`, `9`, `SIGRTMIN+3`: what `docker kill --signal` takes. */
const signal = z.string().superRefine((v, ctx) => {
  if (!isSignal(v)) ctx.addIssue({ code: "custom", message: signalError(v) });
});

const size = () => z.union([z.string(), z.number()]).refine((v) => parseBytes(v) !== undefined, "a size such as 512m or 1g");

const restartPolicyNames = ["no", "always", "unless-stopped", "on-failure"] as const;
export const restartPolicySchema = z.object({
  name: z.enum(restartPolicyNames),
  maximumRetryCount: z.number().int().min(0).max(10_000).optional(),
});

export const bulkActions = ["start", "stop", "kill", "restart", "pause", "unpause", "remove"] as const;
export type BulkAction = (typeof bulkActions)[number];

const ipv4 = z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "an IPv4 address such as 10.231.210.5");
const ipv6 = z.string().regex(/^[0-9a-fA-F:.]+$/, "an IPv6 address");
const networkName = z.string().min(1, "network is required").max(128).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a network name or id");

/** The zod inputs; spread into protocol.ts `containerMethods`. */
export const containerOpsMethods = {
  "containers.inspect": ref,
  "containers.top": ref.extend({
    // Passed to ps on the engine host: keep it to what ps options are made of.
    psArgs: z.string().max(200).regex(/^[a-zA-Z0-9 ,=_%+-]*$/, "ps options, e.g. aux or -ef").optional(),
  }),
  "containers.diff": ref,
  "containers.kill": ref.extend({ signal: signal.optional() }),
  "containers.pause": ref,
  "containers.unpause": ref,
  "containers.rename": ref.extend({ name: containerName }),
  "containers.update": ref
    .extend({
      memory: size().optional(),
      memoryReservation: size().optional(),
      memorySwap: z
        .union([z.string(), z.number()])
        .refine((v) => parseSwapBytes(v) !== undefined, "a size such as 1g, or -1 for unlimited")
        .optional(),
      cpus: z
        .union([z.string(), z.number()])
        .refine((v) => cpusToNano(v) !== undefined, "a number such as 1.5")
        .optional(),
      cpuShares: z.number().int().min(0).max(262_144).optional(),
      cpusetCpus: z.string().regex(/^(\d+(-\d+)?)(,\d+(-\d+)?)*$|^$/, "CPUs as a list or ranges, e.g. 0-2,4").optional(),
      pidsLimit: z.number().int().min(-1).optional(),
      restartPolicy: restartPolicySchema.optional(),
    }),
  "containers.commit": ref.extend({
    repository: z
      .string()
      .superRefine((v, ctx) => {
        const error = repositoryError(v);
        if (error) ctx.addIssue({ code: "custom", message: error });
      })
      .optional(),
    tag: z
      .string()
      .superRefine((v, ctx) => {
        const error = tagError(v);
        if (error) ctx.addIssue({ code: "custom", message: error });
      })
      .optional(),
    message: z.string().max(2000).optional(),
    author: z.string().max(200).optional(),
    changes: z.array(z.string().min(1).regex(/^\s*(CMD|ENTRYPOINT|ENV|EXPOSE|LABEL|ONBUILD|USER|VOLUME|WORKDIR|STOPSIGNAL|HEALTHCHECK)\s/i, "a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL or HEALTHCHECK")).max(50).optional(),
    pause: z.boolean().default(true),
  }),
  "containers.recreate": ref.extend({ pull: z.boolean().default(false) }),
  "containers.networkConnect": ref.extend({
    network: networkName,
    ipv4: ipv4.optional(),
    ipv6: ipv6.optional(),
    aliases: z.array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "an alias: letters, digits, _ . -")).max(20).optional(),
  }),
  "containers.networkDisconnect": ref.extend({ network: networkName, force: z.boolean().default(false) }),
  "containers.bulk": z.object({
    action: z.enum(bulkActions),
    ids: z.array(containerId).min(1, "select at least one container").max(500),
    timeout: z.number().int().min(0).max(3600).optional(),
    signal: signal.optional(),
    force: z.boolean().default(false),
    volumes: z.boolean().default(false),
  }),
  "containers.restartCounts": z.object({ ids: z.array(containerId).max(1000) }),
} as const satisfies MethodTable;

export type ContainerOpsMethod = keyof typeof containerOpsMethods;

/** Raw `docker inspect` JSON; only the fields the dashboard reads are typed. */
export interface ContainerInspectJson {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  Path?: string;
  Args?: string[];
  RestartCount?: number;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    OOMKilled?: boolean;
    Dead?: boolean;
    Pid?: number;
    ExitCode: number;
    Error?: string;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; FailingStreak?: number; Log?: { Start: string; End: string; ExitCode: number; Output: string }[] };
  };
  Config: {
    Hostname?: string;
    Image: string;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    WorkingDir?: string;
    User?: string;
    [key: string]: unknown;
  };
  HostConfig: {
    Memory?: number;
    MemoryReservation?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    CpuShares?: number;
    CpusetCpus?: string;
    PidsLimit?: number | null;
    RestartPolicy?: { Name: string; MaximumRetryCount?: number };
    NetworkMode?: string;
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    [key: string]: unknown;
  };
  Mounts?: { Type: string; Name?: string; Source: string; Destination: string; Mode?: string; RW: boolean; Driver?: string }[];
  NetworkSettings: {
    Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    Networks?: Record<
      string,
      {
        IPAddress?: string;
        GlobalIPv6Address?: string;
        Gateway?: string;
        MacAddress?: string;
        Aliases?: string[] | null;
        IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
        NetworkID?: string;
      }
    >;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ImageInspectJson {
  Id: string;
  RepoTags?: string[];
  RepoDigests?: string[];
  Created?: string;
  Size?: number;
  Config?: { Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] | null; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ContainerOpsResults {
  "containers.inspect": { container: ContainerInspectJson; image: ImageInspectJson | null };
  "containers.top": { titles: string[]; processes: string[][] };
  "containers.diff": { changes: { path: string; kind: "added" | "changed" | "deleted" }[] };
  "containers.kill": ActionResult;
  "containers.pause": ActionResult;
  "containers.unpause": ActionResult;
  "containers.rename": ActionResult & { oldName?: string };
  "containers.update": ActionResult & { warnings: string[] };
  "containers.commit": ActionResult & { imageId: string; reference?: string };
  "containers.recreate": ActionResult & { oldId: string; pulled: boolean; started: boolean };
  "containers.networkConnect": ActionResult & { network: string };
  "containers.networkDisconnect": ActionResult & { network: string };
  "containers.bulk": { action: BulkAction; results: BulkItemResult[] };
  "containers.restartCounts": Record<string, number>;
}

