"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import { wireTransformer } from "~/server/api/wire-transformer";
import type { AppRouter } from "../../server/api/routers/index";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, err) => {
          const code = err instanceof TRPCClientError ? (err.data as { code?: string } | undefined)?.code : undefined;
          return count < 2 && code !== "UNAUTHORIZED" && code !== "FORBIDDEN" && code !== "NOT_FOUND";
        },
      },
    },
  });
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      // Below the dashboard's 8 KB URL limit: queries sent together split into several GETs.
      links: [httpBatchLink({ url: "/api/trpc", transformer: wireTransformer, maxURLLength: 7000 })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** A message for a person from any tRPC error (field-named for bad input). */
export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
