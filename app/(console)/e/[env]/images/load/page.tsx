"use client";
/** Load images from a `docker save` tar: `/e/<env>/images/load`. */
import Link from "next/link";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { LoadImportForm } from "~/app/_features/images/load-import-form";

export default function LoadImagesPage() {
  const env = useEnv();
  return (
    <section aria-labelledby="load-title">
      <p className="muted small"><Link href={envPath(env, "/images")}>Images</Link> /</p>
      <h1 id="load-title">Load images</h1>
      <LoadImportForm env={env} mode="load" />
    </section>
  );
}
