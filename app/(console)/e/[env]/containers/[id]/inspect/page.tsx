"use client";
import { useContainer } from "~/app/_features/containers/page/container-context";
import { InspectTab } from "~/app/_features/containers/page/inspect-tab";

export default function InspectPage() {
  const { container, image } = useContainer();
  return <InspectTab container={container} image={image} />;
}
