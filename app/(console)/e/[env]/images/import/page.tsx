"use client";
/** Import a filesystem tar as an image: `/e/<env>/images/import`. */
import Link from "next/link";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { LoadImportForm } from "~/app/_features/images/load-import-form";

export default function ImportImagePage() {
  const env = useEnv();
  return (
    <section aria-labelledby="import-title">
      <p className="muted small"><Link href={envPath(env, "/images")}>Images</Link> /</p>
      <h1 id="import-title">Import image</h1>
      <LoadImportForm env={env} mode="import" />
    </section>
  );
}
