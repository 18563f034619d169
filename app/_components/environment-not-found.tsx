"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { decodeSegment, envPath } from "../_lib/env-path";

/** Names the environment the address asked for (read from the path: a not-found page gets no params). */
export function EnvironmentNotFound({ defaultEnv }: { defaultEnv: string | undefined }) {
  const segment = usePathname().split("/")[2] ?? "";
  const asked = decodeSegment(segment) ?? segment;
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Environment &quot;{asked.slice(0, 64)}&quot; not found</h1>
      <p className="muted">No environment has this id: the address may be mistyped, or the environment was removed.</p>
      {defaultEnv && (
        <p>
          <Link href={envPath(defaultEnv, "")}>Go to the {defaultEnv} environment</Link>
        </p>
      )}
    </section>
  );
}
