/**
 * A service's config hash: SHA-256 of its resolved configuration (`service.config`:
 * the RunSpec, networks with aliases and addresses, network mode, build, container
 * name; not the replica count) as canonical JSON with sorted keys, so key order in
 * the file never changes it and any change that needs a new container does. The
 * stack engine puts it in `com.docker.compose.config-hash` and recreates only the
 * services whose hash changed.
 */
import type { ComposeService } from "./model";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export function canonicalJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec).filter((k) => rec[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(rec[k])}`).join(",")}}`;
}

export function configHash(service: Pick<ComposeService, "config">): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(service.config))));
}
