/**
 * Registry credentials as the engine takes them (`X-Registry-Auth`, the body
 * of `/auth`): the dashboard decrypts them (server/registries) and passes them
 * in the one call that needs them; the runtime never stores them and never
 * logs or echoes them.
 */
import { z } from "zod";

export const registryAuthSchema = z.strictObject({
  username: z.string().max(512),
  password: z.string().max(8192),
  /** The registry as image references name it: "docker.io" / "https://index.docker.io/v1/" for Docker Hub, else host[:port]. */
  serveraddress: z.string().min(1).max(512),
});
export type RegistryAuth = z.infer<typeof registryAuthSchema>;
