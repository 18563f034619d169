"use client";
/** A volume's files, browsed without an agent: the runtime mounts it in a short-lived helper container. */
import Link from "next/link";
import { useParams } from "next/navigation";
import { FileBrowser } from "~/app/_features/files/file-browser";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";

export default function VolumeFilesPage() {
  const env = useEnv();
  const name = decodeURIComponent(useParams<{ name: string }>().name);
  return (
    <section aria-labelledby="volume-files-title">
      <div className="page-head">
        <h1 id="volume-files-title">Files of volume {name}</h1>
        <div className="filters">
          <Link className="button" href={envPath(env, `/volumes/${encodeURIComponent(name)}`)}>Volume details</Link>
          <Link className="button" href={envPath(env, "/volumes")}>All volumes</Link>
        </div>
      </div>
      <FileBrowser env={env} target={{ kind: "volume", id: name, name }} />
    </section>
  );
}
