"use client";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { LogsTab } from "~/app/_features/containers/page/logs-tab";

export default function LogsPage() {
  return <LogsTab id={useContainer().container.Id} />;
}
