/**
 * Every variable the dashboard reads, validated once at start-up. A bad value
 * stops Berth with a message that names the variable.
 */
import path from "node:path";
import { z } from "zod";
import { describeIssue } from "../runtime/protocol/zod-issues";

const port = z.coerce.number().int().min(1, "must be 1–65535").max(65535, "must be 1–65535");

const schema = z.object({
  BERTH_PORT: port.default(9000),
  BERTH_HOST: z.string().min(1).default("0.0.0.0"),
  BERTH_DATA_DIR: z.string().min(1).default("./data"),
  /** Passed to the runtime untouched: the runtime reads it exactly as the docker CLI does. */
  DOCKER_HOST: z.string().optional(),
  /** Extra allowed WebSocket origins, comma-separated (the page's own origin is always allowed). */
  BERTH_ALLOWED_ORIGINS: z.string().optional(),
  /** The address people use (next-auth's); its origin is allowed too, as behind a proxy the Host differs. */
  NEXTAUTH_URL: z.string().regex(/^https?:\/\/[^/\s]+/, "must be an http(s) URL, e.g. https://berth.example.com").optional(),
  /** `unix:/path` or `127.0.0.1:port`; default: runtime.sock in the data directory. */
  BERTH_RUNTIME_LISTEN: z
    .string()
    .regex(/^(unix:.+|[\w.-]+:\d+)$/, "must be unix:/path or host:port")
    .optional(),
  /** Do not spawn the runtime (it is run by someone else, e.g. in tests). */
  BERTH_RUNTIME_EXTERNAL: z.enum(["0", "1"]).default("0"),
  BERTH_DEV: z.enum(["0", "1"]).default("0"),
  /** HTTPS on a second port (server/tls.ts): the same pages, API and WebSockets, with Secure cookies. */
  BERTH_TLS: z.enum(["on", "off"]).default("off"),
  BERTH_TLS_PORT: port.default(9443),
  /** PEM certificate (chain) and private key; both or neither. Neither: a self-signed pair made once in the data directory. */
  BERTH_TLS_CERT: z.string().min(1).optional(),
  BERTH_TLS_KEY: z.string().min(1).optional(),
}).superRefine((v, ctx) => {
  if (!v.BERTH_TLS_CERT !== !v.BERTH_TLS_KEY) {
    const missing = v.BERTH_TLS_CERT ? "BERTH_TLS_KEY" : "BERTH_TLS_CERT";
    ctx.addIssue({ code: "custom", path: [missing], message: "give BERTH_TLS_CERT and BERTH_TLS_KEY together (or neither, for a self-signed certificate)" });
  }
  if (v.BERTH_TLS === "on" && v.BERTH_TLS_PORT === v.BERTH_PORT) {
    ctx.addIssue({ code: "custom", path: ["BERTH_TLS_PORT"], message: `must differ from BERTH_PORT (${v.BERTH_PORT})` });
  }
});

export type Env = z.infer<typeof schema> & { dataDir: string };

let cached: Env | undefined;

/** Validates without caching; throws an error whose message names each bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${describeIssue(i, "environment").message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.BERTH_DATA_DIR) };
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return (cached ??= parseEnv(source));
}
