/** A registry as the list shows it (never its password: only whether one is saved). */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/routers/index";

export type RegistryListRow = inferRouterOutputs<AppRouter>["registries"]["list"][number];
