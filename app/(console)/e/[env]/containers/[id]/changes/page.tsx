"use client";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { ChangesTab } from "~/app/_features/containers/page/changes-tab";

export default function ChangesPage() {
  const { container, name } = useContainer();
  return <ChangesTab id={container.Id} name={name} />;
}
