"use client";
/** Cells of the containers list that need more than a value: published ports as links, restart counts. */
import { createContext, useContext } from "react";
import type { ContainerSummary } from "~/runtime/protocol/index";

/** The restart counts read so far (./list-restart-counts.tsx), by container id. */
export const RestartCountsContext = createContext<Record<string, number>>({});

/** Only this cell re-renders when counts arrive; its row does not. */
export function RestartsCell({ id }: { id: string }) {
  const count = useContext(RestartCountsContext)[id];
  return count ?? <span className="muted">…</span>;
}

function hostFor(ip: string | undefined): string {
  if (!ip || ip === "0.0.0.0" || ip === "::") return typeof window === "undefined" ? "localhost" : window.location.hostname;
  return ip.includes(":") ? `[${ip}]` : ip;
}

/** Docker lists a binding once per address family; each host port is shown once. */
function publishedPorts(c: ContainerSummary) {
  const seen = new Set<string>();
  return c.ports
    .filter((p) => p.publicPort)
    .filter((p) => {
      const k = `${p.publicPort}/${p.type}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
}

/** The sort key of the Ports column: the lowest published port, or -1 for none. */
export function firstPublicPort(c: ContainerSummary): number {
  const ports = publishedPorts(c).map((p) => p.publicPort as number);
  return ports.length ? Math.min(...ports) : -1;
}

export function firstIp(c: ContainerSummary): string {
  return c.networks.map((n) => n.ip).find(Boolean) ?? "";
}

export function Ports({ c }: { c: ContainerSummary }) {
  const unique = publishedPorts(c);
  if (!unique.length) return <span className="muted">—</span>;
  return (
    <>
      {unique.map((p) => (
        <a key={`${p.ip}:${p.publicPort}/${p.type}`} href={`http://${hostFor(p.ip)}:${p.publicPort}`} target="_blank" rel="noreferrer">
          {p.publicPort}:{p.privatePort}
          {p.type !== "tcp" ? `/${p.type}` : ""}
        </a>
      ))}
    </>
  );
}
