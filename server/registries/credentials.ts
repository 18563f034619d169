/**
 * The credentials Berth holds for the registry an image reference names, for
 * pulls, pushes and builds: the registry is found by Docker's own rule
 * (runtime/registries/address.ts registryOfReference), its secret decrypted
 * here, in the dashboard, for the one runtime call that needs it.
 */
import type { RegistryAuth } from "~/runtime/protocol/registry-auth";
import { registryOfReference } from "~/runtime/registries/address";
import { allCredentials, credentialsForAddress } from "./registries";

/** The decrypted credentials of the registry `imageRef` lives in (Docker Hub for `nginx`), or undefined. */
export async function registryAuthFor(imageRef: string): Promise<RegistryAuth | undefined> {
  return credentialsForAddress(registryOfReference(imageRef));
}

/** The X-Registry-Config a build carries (base64 JSON of every saved login), or undefined when there is none. */
export async function registryConfigForBuild(): Promise<string | undefined> {
  const all = await allCredentials();
  return Object.keys(all).length ? Buffer.from(JSON.stringify(all)).toString("base64") : undefined;
}
