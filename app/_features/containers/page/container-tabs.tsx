"use client";
/** The container page's views, each its own address so it can be linked, bookmarked and reloaded. */
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCan } from "~/app/_lib/use-can";

export const CONTAINER_TABS = [
  { label: "Overview", path: "" },
  { label: "Inspect", path: "/inspect" },
  { label: "Processes", path: "/processes" },
  { label: "Changes", path: "/changes" },
  { label: "Logs", path: "/logs" },
  { label: "Stats", path: "/stats" },
  { label: "Console", path: "/console", permission: "container.exec" },
  { label: "Files", path: "/files", permission: "container.files.read" },
] as const;

export function currentTab(base: string, pathname: string) {
  return CONTAINER_TABS.find((t) => t.path !== "" && pathname === `${base}${t.path}`) ?? CONTAINER_TABS[0];
}

/** `base` is the container's own address, `/e/<env>/containers/<ref>`. */
export function ContainerTabs({ base }: { base: string }) {
  const active = currentTab(base, usePathname());
  const can = useCan();
  return (
    <nav aria-label="Container views" className="tabs">
      {CONTAINER_TABS.filter((t) => !("permission" in t) || can(t.permission)).map((t) => (
        <Link key={t.label} href={`${base}${t.path}`} aria-current={t === active ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
