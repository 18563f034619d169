"use client";
/** Build an image: `/e/<env>/images/build`. */
import Link from "next/link";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { BuildForm } from "~/app/_features/images/build-form";

export default function BuildImagePage() {
  const env = useEnv();
  return (
    <section aria-labelledby="build-title">
      <p className="muted small"><Link href={envPath(env, "/images")}>Images</Link> /</p>
      <h1 id="build-title">Build image</h1>
      <BuildForm env={env} />
    </section>
  );
}
