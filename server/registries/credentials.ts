/**
 * The credentials Berth holds for the registry an image reference names, for
 * pulls, pushes and builds. (Filled in by the registries work: until then no
 * registry has credentials.)
 */
import type { RegistryAuth } from "~/runtime/protocol/registry-auth";

/** The decrypted credentials of the registry `imageRef` lives in (Docker Hub for `nginx`), or undefined. */
export async function registryAuthFor(_imageRef: string): Promise<RegistryAuth | undefined> {
  return undefined;
}
