"use client";
/** The container's Files tab: its filesystem, running or stopped, through the Engine's archive endpoints (`docker cp`). */
import { FileBrowser } from "~/app/_features/files/file-browser";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { useEnv } from "~/app/_lib/use-env";

export default function FilesPage() {
  const env = useEnv();
  const { container: c, name } = useContainer();
  return <FileBrowser env={env} target={{ kind: "container", id: c.Id, name }} />;
}
