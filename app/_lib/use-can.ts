"use client";
/**
 * Whether the signed-in user may use a permission on the current environment,
 * so a page shows only the controls that would work (a Read-only user sees no
 * Start or Remove). Only a convenience: the server decides every call.
 */
import { useQuery } from "@tanstack/react-query";
import type { Permission } from "~/server/api/permissions";
import { useTRPC } from "./trpc";
import { useEnv } from "./use-env";

export function useCanIn(env: string): (permission: Permission) => boolean {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.session.can.queryOptions({ env }, { staleTime: 60_000 }));
  return (permission) => !!data?.permissions[permission];
}

export function useCan(): (permission: Permission) => boolean {
  return useCanIn(useEnv());
}
