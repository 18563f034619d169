import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { findConnection } from "~/server/engines/registry";
import { decodeSegment } from "~/app/_lib/env-path";

/** Every page under `/e/<env>/…` exists only for a known environment; any other id is a 404 (app/(console)/e/not-found.tsx). */
export default async function EnvironmentLayout({ children, params }: { children: ReactNode; params: Promise<{ env: string }> }) {
  const env = decodeSegment((await params).env);
  if (env === undefined || !findConnection(env)) notFound();
  return children;
}
