"use client";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { StatsTab } from "~/app/_features/stats/stats-tab";

export default function StatsPage() {
  const { container: c, name } = useContainer();
  return <StatsTab id={c.Id} name={name} running={c.State.Running} />;
}
