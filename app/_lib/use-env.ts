"use client";
/**
 * The environment the page is in: the `[env]` segment of `/e/<env>/…`. Every
 * tRPC input, stream subscription and link that touches an engine carries it.
 */
import { useParams } from "next/navigation";
import { decodeSegment } from "./env-path";

export function useEnv(): string {
  const params = useParams<{ env?: string }>();
  if (typeof params?.env !== "string") throw new Error("useEnv() outside /e/[env]/");
  return decodeSegment(params.env) ?? params.env;
}

