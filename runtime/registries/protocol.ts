/**
 * Registries, as the runtime reaches them: `docker login` through the engine
 * (`registries.login`), and the registry's own v2 API from the runtime host
 * (catalogue, tags with digest and size, delete a tag). The dashboard holds the
 * credentials and passes them in `auth` on each call; the runtime never keeps,
 * logs or answers them.
 */
import { z } from "zod";
import { registryAuthSchema } from "../protocol/registry-auth";
import type { MethodTable, DeadlineRules } from "../protocol/registry";
import { S } from "../protocol/deadlines";
import { parseRegistryAddress, registryRepositoryError } from "./address";

/** `host[:port]` (Docker Hub: "docker.io"), normalised; an address with a path or credentials is refused. */
export const registryUrlSchema = z
  .string({ error: "url is required" })
  .max(300, "url: at most 300 characters")
  .transform((v, c) => {
    const r = parseRegistryAddress(v);
    if (!r.ok) {
      c.addIssue({ code: "custom", message: `url: ${r.error}` });
      return z.NEVER;
    }
    return r.host;
  });

export const repositorySchema = z
  .string({ error: "repository is required" })
  .max(255, "repository: at most 255 characters")
  .superRefine((v, c) => {
    const e = registryRepositoryError(v);
    if (e) c.addIssue({ code: "custom", message: `repository: ${e}` });
  });

export const registryTagSchema = z
  .string({ error: "tag is required" })
  .regex(/^[\w][\w.-]{0,127}$/, "tag: letters, digits, _ . - (up to 128), not starting with . or -");

/** Where a registry is and how to reach it: `insecure` is plain HTTP. */
const endpoint = {
  url: registryUrlSchema,
  insecure: z.boolean({ error: "insecure must be true or false" }).default(false),
  auth: registryAuthSchema.optional(),
};

export const registriesMethods = {
  /** `docker login`: the engine checks the credentials; without any, the runtime checks that the registry answers anonymously. */
  "registries.login": z.strictObject(endpoint),
  "registries.catalog": z.strictObject(endpoint),
  "registries.tags": z.strictObject({ ...endpoint, repository: repositorySchema }),
  "registries.deleteTag": z.strictObject({ ...endpoint, repository: repositorySchema, tag: registryTagSchema }),
} satisfies MethodTable;

/** Several requests in a row (pages, one manifest per tag): each bounded on its own, the whole by this. */
export const registriesDeadlines: DeadlineRules = {
  "registries.login": () => 40 * S,
  "registries.catalog": () => 60 * S,
  "registries.tags": () => 60 * S,
  "registries.deleteTag": () => 40 * S,
};

export interface RegistryPlatform {
  os?: string;
  architecture?: string;
  variant?: string;
  digest: string;
  size?: number;
}

export interface RegistryTag {
  tag: string;
  /** The manifest's digest (`Docker-Content-Digest`), what `docker pull name@digest` takes. */
  digest?: string;
  mediaType?: string;
  /** Bytes: the config plus every layer (compressed, as pulled); absent for a multi-platform index (see platforms). */
  size?: number;
  /** For a manifest list / OCI index: one entry per platform. */
  platforms?: RegistryPlatform[];
  /** Why this tag's manifest could not be read (the others still are). */
  error?: string;
}

export interface RegistriesResults {
  /** `anonymous`: the registry answered without credentials (none were given). */
  "registries.login": { ok: true; message: string; anonymous: boolean };
  /** `truncated`: more repositories than Berth reads in one go. */
  "registries.catalog": { repositories: string[]; truncated: boolean };
  "registries.tags": { repository: string; tags: RegistryTag[]; truncated: boolean };
  "registries.deleteTag": { repository: string; tag: string; digest: string };
}
