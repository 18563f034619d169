"use client";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { ProcessesTab } from "~/app/_features/containers/page/processes-tab";

export default function ProcessesPage() {
  const { container: c, name } = useContainer();
  return <ProcessesTab id={c.Id} name={name} running={c.State.Running && !c.State.Paused} />;
}
