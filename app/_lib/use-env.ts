"use client";
/**
 * The environment the page is in: the `[env]` segment of `/e/<env>/…`. Every
 * tRPC input, stream subscription and link that touches an engine carries it.
 */
import { useParams } from "next/navigation";

export function useEnv(): string {
  const params = useParams<{ env?: string }>();
  if (typeof params?.env !== "string") throw new Error("useEnv() outside /e/[env]/");
  return decodeURIComponent(params.env);
}

/** A page address inside an environment: envPath("local", "/containers") → "/e/local/containers". */
export function envPath(env: string, path: string): string {
  return `/e/${encodeURIComponent(env)}${path.startsWith("/") ? path : `/${path}`}`;
}
