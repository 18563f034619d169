"use client";
import { RunCommand } from "~/app/_components/run-command";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { Overview } from "~/app/_features/containers/page/overview";

export default function OverviewPage() {
  const { container: c, image, restartPolicy } = useContainer();
  return (
    <>
      <Overview c={c} image={image} restartPolicy={restartPolicy} />
      <RunCommand containerId={c.Id} />
    </>
  );
}
