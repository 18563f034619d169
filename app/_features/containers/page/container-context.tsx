"use client";
/**
 * The container the page is about, read once by its layout
 * (app/(console)/e/[env]/containers/[id]/layout.tsx) and shared with every tab.
 */
import { createContext, useContext } from "react";
import type { ContainerInspectJson, ImageInspectJson } from "~/runtime/containers/types";

export interface ContainerView {
  container: ContainerInspectJson;
  image: ImageInspectJson | null;
  name: string;
  /** As `docker run --restart` writes it: no, always, unless-stopped, on-failure[:N]. */
  restartPolicy: string;
}

export const ContainerContext = createContext<ContainerView | null>(null);

export function useContainer(): ContainerView {
  const view = useContext(ContainerContext);
  if (!view) throw new Error("useContainer() outside a container page");
  return view;
}

export function restartPolicyOf(c: ContainerInspectJson): string {
  const rp = c.HostConfig.RestartPolicy;
  if (!rp?.Name || rp.Name === "no") return "no";
  return rp.Name === "on-failure" && rp.MaximumRetryCount ? `on-failure:${rp.MaximumRetryCount}` : rp.Name;
}
