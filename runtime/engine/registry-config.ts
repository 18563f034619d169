/** A build's registry logins for the engine (Docker's X-Registry-Config), as dockerode takes them. */
import type Docker from "dockerode";

/** `raw`: the header's value, base64 JSON by server address, passed on as it came. */
export function registryConfigOption(raw: string): Docker.ImageBuildOptions {
  // docker-modem sends `base64` as it is (its typings know only the decoded shape).
  return { registryconfig: { base64: raw } as unknown as Docker.ImageBuildOptions["registryconfig"] };
}
