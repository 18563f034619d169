"use client";
/** The Logs tab: the shared live log view (app/_components/logs/), for this one container. */
import { LogView } from "~/app/_components/logs/log-view";

export function LogsTab({ id }: { id: string }) {
  return <LogView containerId={id} />;
}
