"use client";
import { ConsoleTab } from "~/app/_features/containers/console/console-tab";
import { useContainer } from "~/app/_features/containers/page/container-context";

export default function ConsolePage() {
  const { container: c } = useContainer();
  return <ConsoleTab id={c.Id} running={c.State.Running && !c.State.Paused} />;
}
