import { notFound } from "next/navigation";
import { findConnection } from "~/server/engines/registry";
import { decodeSegment } from "~/app/_lib/env-path";
import { EnvironmentHome } from "./environment-home";

export default async function HomePage({ params }: { params: Promise<{ env: string }> }) {
  const env = decodeSegment((await params).env);
  const conn = env === undefined ? undefined : findConnection(env);
  if (!conn) notFound();
  return <EnvironmentHome name={conn.name} />;
}
