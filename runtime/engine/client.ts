/**
 * The one dockerode instance, configured from DOCKER_HOST and friends the way the
 * docker CLI reads them (docker/cli opts/hosts.go and cli/flags/options.go); the
 * API version is the engine's own unless DOCKER_API_VERSION says otherwise.
 * Errors are mapped in errors.ts.
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import util from "node:util";
import { createRequire } from "node:module";
import Docker from "dockerode";
import { imageReferenceError } from "../run-spec/image-reference";
import { RuntimeFailure, setEngineLabel } from "./errors";

const DEFAULT_UNIX_SOCKET = "/var/run/docker.sock";
const DEFAULT_TCP_PORT = 2375;

export type DockerHostSpec =
  | { kind: "unix"; socketPath: string; url: string }
  | { kind: "tcp"; host: string; port: number; url: string }
  | { kind: "ssh"; host: string; port: number; username?: string; url: string };

/**
 * DOCKER_HOST as the CLI parses it: empty → the default socket (tcp://localhost:2376
 * when TLS is on), "unix://" → the default socket, a bare path → unix, "host[:port]"
 * → tcp with port 2375 when omitted. Throws an Error whose message can be shown as is.
 */
export function parseDockerHost(value: string | undefined, defaultToTLS = false): DockerHostSpec {
  const raw = (value ?? "").trim();
  if (raw === "") {
    return defaultToTLS ? tcpSpec("localhost", 2376) : unixSpec(DEFAULT_UNIX_SOCKET);
  }
  const sep = raw.indexOf("://");
  let proto = sep >= 0 ? raw.slice(0, sep) : "";
  let rest = sep >= 0 ? raw.slice(sep + 3) : raw;
  if (sep < 0) proto = rest.startsWith("/") || rest.startsWith("./") ? "unix" : "tcp";

  switch (proto) {
    case "unix":
      if (rest.includes("://")) throw new Error(`invalid proto, expected unix: ${raw}`);
      return unixSpec(path.resolve(rest || DEFAULT_UNIX_SOCKET));
    case "tcp": {
      if (rest === "") return tcpSpec("localhost", DEFAULT_TCP_PORT);
      if (rest.includes("://")) throw new Error(`invalid proto, expected tcp: ${raw}`);
      if (rest.endsWith("]:")) rest += DEFAULT_TCP_PORT;
      let url: URL;
      try {
        url = new URL(`tcp://${rest}`);
      } catch {
        throw new Error(`invalid bind address format: ${raw}`);
      }
      // The CLI would use a path as the API base path; docker-modem resolves every
      // request against the root, so refuse it rather than silently ignore it.
      if (url.pathname !== "" && url.pathname !== "/") throw new Error(`a path in DOCKER_HOST is not supported: ${raw}`);
      const port = url.port === "" ? DEFAULT_TCP_PORT : Number(url.port);
      const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost";
      return tcpSpec(host, port);
    }
    case "ssh": {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(`invalid ssh address: ${raw}`);
      }
      return {
        kind: "ssh",
        host: url.hostname,
        port: url.port === "" ? 22 : Number(url.port),
        username: url.username || undefined,
        url: raw,
      };
    }
    case "npipe":
    case "fd":
      throw new Error(`${proto}:// is not supported by Berth (use unix://, tcp:// or ssh://): ${raw}`);
    default:
      throw new Error(`invalid bind address format: ${raw}`);
  }
}

function unixSpec(socketPath: string): DockerHostSpec {
  return { kind: "unix", socketPath, url: `unix://${socketPath}` };
}

function tcpSpec(host: string, port: number): DockerHostSpec {
  const shown = host.includes(":") ? `[${host}]` : host;
  return { kind: "tcp", host, port, url: `tcp://${shown}:${port}` };
}

/** The engine-related variables; a subset of process.env. */
export interface EngineEnv {
  DOCKER_HOST?: string;
  DOCKER_TLS_VERIFY?: string;
  DOCKER_TLS?: string;
  DOCKER_CERT_PATH?: string;
  DOCKER_CONFIG?: string;
  DOCKER_API_VERSION?: string;
}

export interface Engine {
  docker: Docker;
  host: DockerHostSpec;
  /** What EngineStatus.dockerHost shows, e.g. unix:///var/run/docker.sock. */
  dockerHost: string;
  tls: boolean;
}

export function createEngine(env: EngineEnv): Engine {
  // As in the CLI: any non-empty DOCKER_TLS_VERIFY (even "0") turns TLS on with
  // verification; DOCKER_TLS alone turns it on without verification.
  const tlsVerify = Boolean(env.DOCKER_TLS_VERIFY);
  const tls = tlsVerify || Boolean(env.DOCKER_TLS);
  const host = parseDockerHost(env.DOCKER_HOST, tls);
  const opts: Docker.DockerOptions & Record<string, unknown> = {
    // Leave the version out so the engine answers in its own API version (1.41 and up).
    // DOCKER_API_VERSION is the user's explicit override, as in the CLI.
    version: env.DOCKER_API_VERSION ? `v${env.DOCKER_API_VERSION.replace(/^v/, "")}` : undefined,
  };

  if (host.kind === "unix") {
    Object.assign(opts, { socketPath: host.socketPath, host: undefined, protocol: "http" });
    opts.agent = shortInInspect(new http.Agent({ keepAlive: true, maxFreeSockets: 8 }));
  } else if (host.kind === "tcp") {
    Object.assign(opts, { host: host.host, port: host.port, pathPrefix: "/" });
    if (tls) {
      // The CLI requires ca.pem when TLS is on and uses cert/key only if both exist.
      const certDir = env.DOCKER_CERT_PATH || env.DOCKER_CONFIG || path.join(os.homedir(), ".docker");
      const read = (name: string) => {
        const file = path.join(certDir, name);
        return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      };
      const ca = read("ca.pem");
      if (!ca) throw new Error(`DOCKER_CERT_PATH: ${path.join(certDir, "ca.pem")} does not exist (TLS is on: DOCKER_TLS_VERIFY or DOCKER_TLS is set)`);
      const cert = read("cert.pem");
      const key = read("key.pem");
      opts.protocol = "https";
      // Agent options override request options in node, so verification lives here.
      opts.agent = shortInInspect(
        new https.Agent({
          keepAlive: true,
          maxFreeSockets: 8,
          ca,
          ...(cert && key ? { cert, key } : {}),
          rejectUnauthorized: tlsVerify,
        }),
      );
    } else {
      opts.protocol = "http";
      opts.agent = shortInInspect(new http.Agent({ keepAlive: true, maxFreeSockets: 8 }));
    }
  } else {
    Object.assign(opts, { host: host.host, port: host.port, username: host.username, protocol: "ssh" });
    opts.sshOptions = { agent: process.env.SSH_AUTH_SOCK };
  }

  setEngineLabel(describeHost(host));
  noModemRedirects();
  return { docker: withoutModemEnv(() => new Docker(opts)), host, dockerHost: host.url, tls };
}

/**
 * docker-modem formats every request's options for its debug log, enabled or not,
 * with `util.inspect(options, { showHidden: true, depth: null })` (modem.js
 * buildRequest): that walks the agent with every socket and request it holds, so
 * each request costs as much as all those in flight, and a burst of events (one
 * refetch each) costs their square: 300 at once hold the event loop for a minute,
 * and the runtime answers nothing meanwhile. The agent describes itself in one word.
 */
function shortInInspect<A extends http.Agent>(agent: A): A {
  Object.defineProperty(agent, util.inspect.custom, { value: () => `[${agent.constructor.name}]`, enumerable: false });
  return agent;
}

/**
 * docker-modem sends every request through its own copy of follow-redirects, which
 * follows any 3xx (the engine answers 301 for a path like `/images/a/../../b/json`)
 * with a request that has no error listener: a failure there (ENOTFOUND for a host
 * parsed out of the path) is uncaught and ends the process. The engine never
 * redirects a well-formed request, so requests go out as plain node requests and a
 * 3xx comes back to the caller as an error with its status (see errors.ts).
 */
function noModemRedirects(): void {
  // The copy dockerode itself loads, wherever the package manager put it.
  const fromDockerode = createRequire(createRequire(import.meta.url).resolve("dockerode"));
  const wrappers = fromDockerode("docker-modem/lib/http.js") as Record<"http" | "https", { request: unknown; get: unknown }>;
  for (const [proto, native] of [["http", http], ["https", https]] as const) {
    wrappers[proto].request = (options: http.RequestOptions, cb?: (res: http.IncomingMessage) => void) => native.request(options, cb);
    wrappers[proto].get = (options: http.RequestOptions, cb?: (res: http.IncomingMessage) => void) => native.get(options, cb);
  }
}

/**
 * docker-modem reads DOCKER_HOST/DOCKER_TLS_VERIFY/DOCKER_CERT_PATH itself in its
 * constructor, with rules that differ from the CLI (https on port 2376, "0" means
 * off, a ~/.docker/run socket first) and may throw on unreadable cert files. Our
 * parsed options must be the only source, so hide those variables for that call.
 */
function withoutModemEnv<T>(build: () => T): T {
  const names = ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CLIENT_TIMEOUT", "DOCKER_PATH_PREFIX"];
  const saved = names.map((n) => [n, process.env[n]] as const);
  for (const n of names) delete process.env[n];
  try {
    return build();
  } finally {
    for (const [n, v] of saved) if (v !== undefined) process.env[n] = v;
  }
}

function describeHost(host: DockerHostSpec): string {
  return host.kind === "unix" ? `Docker socket ${host.socketPath}` : `the engine at ${host.url}`;
}

/** `docker pull`, to the end of its progress stream; an error in the stream is the pull's error. */
export function pullImage(docker: Docker, image: string, platform?: string): Promise<void> {
  const invalid = imageReferenceError(image);
  if (invalid) return Promise.reject(new RuntimeFailure({ code: "BAD_REQUEST", field: "image", message: `image: ${invalid}` }));
  return new Promise((resolve, reject) => {
    docker.pull(image, platform ? { platform } : {}, (err: unknown, stream?: NodeJS.ReadableStream) => {
      if (err || !stream) return reject(err ?? new Error("no pull stream"));
      docker.modem.followProgress(stream, (done: unknown, output: { error?: string }[]) => {
        const failed = output?.find((o) => o.error);
        if (done) reject(done);
        else if (failed) reject(new Error(failed.error));
        else resolve();
      });
    });
  });
}
