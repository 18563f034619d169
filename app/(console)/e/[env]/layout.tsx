import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { findConnection } from "~/server/engines/registry";
import { envParam } from "./env-param";

/** Every page under `/e/<env>/…` exists only for a known environment; any other id is a 404 (app/(console)/e/not-found.tsx). */
export default async function EnvironmentLayout({ children, params }: { children: ReactNode; params: Promise<{ env: string }> }) {
  const env = envParam((await params).env);
  if (env === undefined || !findConnection(env)) notFound();
  return children;
}
