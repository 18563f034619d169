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

export { envPath } from "./env-path";
