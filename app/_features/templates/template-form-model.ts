/**
 * The deploy form's model, pure (unit-tested): a template's ports as editable
 * rows and back to the `"[hostIp:]hostPort:containerPort[/proto]"` strings the
 * render and deploy procedures take, the initial env values (defaults, the
 * select's default, presets kept as they are), the filters of the list, and
 * the address an Open link points at.
 */
import type { AppTemplate, TemplateValues } from "~/server/templates/types";

export interface PortRow {
  hostIp: string;
  hostPort: string;
  containerPort: string;
  protocol: "tcp" | "udp";
}

export interface VolumeRow {
  container: string;
  kind: "named" | "bind";
  bind: string;
  readonly: boolean;
}

/** Portainer's `"8080:80/tcp"`, `"80/tcp"`, `"127.0.0.1:8080:80"` as a row. */
export function parsePort(text: string): PortRow {
  const [main, proto] = text.trim().split("/");
  const protocol = proto?.toLowerCase() === "udp" ? "udp" : "tcp";
  const parts = main.split(":");
  const containerPort = parts.pop() ?? "";
  const hostPort = parts.pop() ?? "";
  return { hostIp: parts.join(":"), hostPort, containerPort, protocol };
}

export function formatPort(p: PortRow): string {
  const host = p.hostIp.trim();
  const hostPort = p.hostPort.trim();
  const container = `${p.containerPort.trim()}/${p.protocol}`;
  if (!host && !hostPort) return container;
  return `${host ? `${host}:` : ""}${hostPort}:${container}`;
}

/** The first value each variable shows: its default, or the select's default option, or its first option. */
export function initialEnv(t: Pick<AppTemplate, "env">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of t.env) {
    if (v.select?.length) out[v.name] = (v.select.find((o) => o.default) ?? v.select[0]).value;
    else out[v.name] = v.default ?? "";
  }
  return out;
}

export function initialVolumes(t: Pick<AppTemplate, "volumes">): VolumeRow[] {
  return t.volumes.map((v) => ({ container: v.container, kind: v.bind ? "bind" : "named", bind: v.bind ?? "", readonly: !!v.readonly }));
}

/** The values the render, preflight and deploy procedures take. */
export function toValues(input: { name: string; env: Record<string, string>; ports?: PortRow[]; volumes?: VolumeRow[] }): TemplateValues {
  return {
    name: input.name.trim(),
    env: input.env,
    ...(input.ports ? { ports: input.ports.filter((p) => p.containerPort.trim()).map(formatPort) } : {}),
    ...(input.volumes
      ? {
          volumes: input.volumes
            .filter((v) => v.container.trim())
            .map((v) => ({ container: v.container.trim(), ...(v.kind === "bind" ? { bind: v.bind.trim() } : {}), ...(v.readonly ? { readonly: true } : {}) })),
        }
      : {}),
  };
}

/** A name the form suggests: the template's own, or its title in compose-project words. */
export function suggestedName(t: Pick<AppTemplate, "name" | "title">): string {
  const base = (t.name ?? t.title)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
  return base.slice(0, 63) || "app";
}

/**
 * Where an Open link points: the published host IP, or the host the browser
 * reached Berth on when the port is published on every address.
 */
export function openUrl(hostIp: string | undefined, hostPort: number, browserHost: string): string {
  const ip = hostIp && hostIp !== "0.0.0.0" && hostIp !== "::" ? hostIp : browserHost;
  const host = ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
  return `http://${host}:${hostPort}`;
}

export interface TemplateFilter {
  search: string;
  category: string;
  type: "" | "container" | "stack";
  source: "" | AppTemplate["source"];
}

export function filterTemplates(list: AppTemplate[], f: TemplateFilter): AppTemplate[] {
  const q = f.search.trim().toLowerCase();
  return list.filter(
    (t) =>
      (!q || t.title.toLowerCase().includes(q) || t.description.toLowerCase().includes(q) || t.categories.some((c) => c.toLowerCase().includes(q))) &&
      (!f.category || t.categories.includes(f.category)) &&
      (!f.type || t.type === f.type) &&
      (!f.source || t.source === f.source),
  );
}

export function categoriesOf(list: AppTemplate[]): string[] {
  return [...new Set(list.flatMap((t) => t.categories))].sort((a, b) => a.localeCompare(b));
}
