/**
 * The runtime's environment, validated once at start. A bad value stops the
 * process with a message that names the variable.
 */
import path from "node:path";
import { z } from "zod";
import { parseDockerHost } from "./engine/client";
import type { Listen } from "./server";
import { runtimeSocketPath } from "./shared-key";
import { firstIssue } from "./protocol/zod-issues";

/** The shell treats an empty variable as unset, and so does the docker CLI. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const envSchema = z.object({
  BERTH_DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().default("./data")),
  DOCKER_HOST: optional(
    z.string().superRefine((value, ctx) => {
      try {
        parseDockerHost(value);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  ),
  DOCKER_TLS_VERIFY: optional(z.string()),
  DOCKER_TLS: optional(z.string()),
  DOCKER_CERT_PATH: optional(z.string()),
  DOCKER_CONFIG: optional(z.string()),
  DOCKER_API_VERSION: optional(z.string().regex(/^v?1\.\d+$/, "must look like 1.41")),
  /** Stats history for the containers someone watches (the default: each engine stream costs dockerd CPU), or for every running one. */
  BERTH_STATS_RECORD: optional(z.enum(["watched", "all"], 'must be "watched" or "all"')),
  BERTH_RUNTIME_LISTEN: optional(
    z.string().superRefine((value, ctx) => {
      if (parseListen(value) === undefined) {
        ctx.addIssue({ code: "custom", message: "must be unix:<path> or 127.0.0.1:<port>" });
      }
    }),
  ),
});

export type RuntimeEnv = Omit<z.infer<typeof envSchema>, "BERTH_RUNTIME_LISTEN"> & {
  BERTH_DATA_DIR: string;
  listen: Listen;
};

function parseListen(value: string): Listen | undefined {
  if (value.startsWith("unix:")) {
    const p = value.slice("unix:".length).replace(/^\/\/(?=\/)/, "");
    return p ? { kind: "unix", path: path.resolve(p) } : undefined;
  }
  const m = /^127\.0\.0\.1:(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[1]);
  return port <= 65535 ? { kind: "tcp", host: "127.0.0.1", port } : undefined;
}

export class EnvError extends Error {}

/** Parses the environment; throws EnvError("VARIABLE: what is wrong") on the first bad value. */
export function parseRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new EnvError(firstIssue(parsed.error, "environment").message);
  }
  const { BERTH_RUNTIME_LISTEN, ...rest } = parsed.data;
  const dataDir = path.resolve(rest.BERTH_DATA_DIR);
  return {
    ...rest,
    BERTH_DATA_DIR: dataDir,
    listen: BERTH_RUNTIME_LISTEN
      ? parseListen(BERTH_RUNTIME_LISTEN)!
      : { kind: "unix", path: runtimeSocketPath(dataDir) },
  };
}

/** For main.ts: the parsed environment, or a one-line message and exit 1. */
export function loadRuntimeEnv(): RuntimeEnv {
  try {
    return parseRuntimeEnv();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`berth runtime: invalid environment: ${err.message}`);
    process.exit(1);
  }
}
