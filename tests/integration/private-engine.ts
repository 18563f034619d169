/**
 * For the integration tests: the private engine they need (tests/harness/engine.sh up),
 * and the docker CLI against it as the oracle.
 */
import { execFileSync } from "node:child_process";

/** DOCKER_HOST of the private engine; throws (never skips) when it is unset or the host's default socket. */
export function requirePrivateEngine(): string {
  const host = process.env.DOCKER_HOST;
  if (!host || /^(unix:\/\/)?\/(var\/)?run\/docker\.sock$/.test(host)) {
    throw new Error(
      `integration tests need a PRIVATE engine: DOCKER_HOST is ${host ? `the default (${host})` : "unset"}; ` +
        "run tests/harness/engine.sh up and source its env file",
    );
  }
  return host;
}

export const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", env: process.env, stdio: ["ignore", "pipe", "pipe"] }).trim();

/** `docker …` for cleanup: failures ignored. */
export const dockerQuiet = (...args: string[]) => {
  try {
    docker(...args);
  } catch {
    // cleanup: best effort
  }
};

/** `docker inspect -f format name`. */
export const inspectFormat = (name: string, format: string) => docker("inspect", "-f", format, name);
