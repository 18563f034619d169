/**
 * A service's ports, volumes, tmpfs, secrets and configs → RunSpec fields.
 * Named volumes get their engine name (`PROJECT_key`, `name:`, or the external
 * name), relative binds are made absolute from the stack folder, and secrets and
 * configs become read-only bind mounts of their file (inside the stack folder).
 */
import type { MountSpec, PortSpec, RunSpec, VolumeSpec } from "../run-spec/schema";
import { parseTmpfs } from "../run-spec/syntax-misc";
import { parsePortSpec, parseVolumeSpec } from "../run-spec/syntax-storage";
import { type ConvertContext, fail, only, scalarText, stringList } from "./convert-context";
import { resolvePath } from "./paths";
import { childPath, isRecord, own } from "./yaml-source";

/** RunSpec field path (`ports[1]`) → the compose key it came from, for validateRunSpec's errors. */
export type Origins = Map<string, string>;

export function convertPorts(ctx: ConvertContext, svc: Record<string, unknown>, path: string, spec: RunSpec, origins: Origins): void {
  const list = own(svc, "ports");
  if (!Array.isArray(list)) return;
  const ports: PortSpec[] = [];
  list.forEach((item, i) => {
    const p = childPath(childPath(path, "ports"), i);
    if (isRecord(item)) {
      only(ctx, item, p, ["target", "published", "host_ip", "protocol", "mode"]);
      const mode = own(item, "mode");
      if (mode !== undefined && mode !== "host" && mode !== "ingress") return fail(ctx, "value", childPath(p, "mode"), "must be host or ingress");
      const text = `${own(item, "host_ip") !== undefined ? `${bracket(scalarText(own(item, "host_ip")))}:` : ""}${own(item, "published") !== undefined ? `${scalarText(own(item, "published"))}:` : own(item, "host_ip") !== undefined ? ":" : ""}${scalarText(own(item, "target"))}${own(item, "protocol") !== undefined ? `/${scalarText(own(item, "protocol"))}` : ""}`;
      return addPort(ctx, text, p, ports, origins);
    }
    addPort(ctx, scalarText(item), p, ports, origins);
  });
  if (ports.length > 0) spec.ports = ports;
  const expose = own(svc, "expose");
  if (Array.isArray(expose) && expose.length > 0) {
    spec.expose = expose.map(scalarText);
    origins.set("expose", childPath(path, "expose"));
  }
}

const bracket = (ip: string) => (ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip);

function addPort(ctx: ConvertContext, text: string, path: string, ports: PortSpec[], origins: Origins): void {
  const parsed = parsePortSpec(text);
  if ("error" in parsed) return void fail(ctx, "value", path, parsed.error);
  origins.set(`ports[${ports.length}]`, path);
  ports.push(parsed.value);
}

/** A named volume's engine name, or an error when the file does not declare it (as compose 1.29 says). */
function namedVolume(ctx: ConvertContext, key: string, path: string, service: string): string | undefined {
  const v = Object.hasOwn(ctx.volumes, key) ? ctx.volumes[key] : undefined;
  if (!v) return fail(ctx, "value", path, `the named volume "${key}" is used in service "${service}" but the top-level volumes do not declare it`);
  return v.name;
}

export function convertVolumes(ctx: ConvertContext, svc: Record<string, unknown>, path: string, service: string, spec: RunSpec, origins: Origins): void {
  const list = own(svc, "volumes");
  const volumes: VolumeSpec[] = [];
  const mounts: MountSpec[] = [];
  if (Array.isArray(list)) {
    list.forEach((item, i) => {
      const p = childPath(childPath(path, "volumes"), i);
      if (typeof item === "string") {
        const parsed = parseVolumeSpec(item);
        if ("error" in parsed) return fail(ctx, "value", p, parsed.error);
        const v = parsed.value;
        if (v.source !== undefined) {
          const source = hostOrVolume(ctx, v.source, p, service);
          if (source === undefined) return;
          v.source = source;
        }
        origins.set(`volumes[${volumes.length}]`, p);
        volumes.push(v);
        return;
      }
      if (!isRecord(item)) return;
      only(ctx, item, p, ["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"]);
      const type = scalarText(own(item, "type"));
      const target = scalarText(own(item, "target"));
      const source = own(item, "source") === undefined ? undefined : scalarText(own(item, "source"));
      const readOnly = own(item, "read_only") === true ? true : undefined;
      const bind = own(item, "bind");
      const volume = own(item, "volume");
      const tmpfs = own(item, "tmpfs");
      only(ctx, bind, childPath(p, "bind"), ["propagation", "create_host_path"]);
      only(ctx, volume, childPath(p, "volume"), ["nocopy"]);
      only(ctx, tmpfs, childPath(p, "tmpfs"), ["size"]);
      const m: MountSpec = { type: "volume", target };
      if (type === "volume") {
        if (source !== undefined) m.source = namedVolume(ctx, source, childPath(p, "source"), service);
        if (own(volume, "nocopy") === true) m.volumeNoCopy = true;
      } else if (type === "bind") {
        if (source === undefined) return fail(ctx, "value", p, "a bind mount needs a source");
        const abs = hostOrVolume(ctx, source.startsWith("/") || source.startsWith(".") ? source : `./${source}`, childPath(p, "source"), service);
        if (abs === undefined) return;
        const propagation = own(bind, "propagation");
        if (own(bind, "create_host_path") === true) {
          // `-v` creates a missing host folder; `--mount` refuses it.
          origins.set(`volumes[${volumes.length}]`, p);
          volumes.push({ source: abs, target, ...(readOnly ? { mode: "ro" } : {}), ...(propagation ? { propagation: propagation as VolumeSpec["propagation"] } : {}) });
          return;
        }
        Object.assign(m, { type: "bind", source: abs }, propagation ? { bindPropagation: propagation } : {});
      } else if (type === "tmpfs") {
        m.type = "tmpfs";
        if (own(tmpfs, "size") !== undefined) m.tmpfsSize = own(tmpfs, "size") as number | string;
      } else return fail(ctx, "unsupported", childPath(p, "type"), `Berth does not support volumes of type "${type}" (use volume, bind or tmpfs)`);
      if (readOnly) m.readOnly = true;
      const consistency = own(item, "consistency");
      if (consistency !== undefined) m.consistency = consistency as MountSpec["consistency"];
      if (m.type === "volume" && m.source === undefined && source !== undefined) return;
      origins.set(`mounts[${mounts.length}]`, p);
      mounts.push(m);
    });
  }
  secretMounts(ctx, svc, path, "secrets", mounts, origins);
  secretMounts(ctx, svc, path, "configs", mounts, origins);
  if (volumes.length > 0) spec.volumes = volumes;
  if (mounts.length > 0) spec.mounts = mounts;
  const tmpfs = stringList(own(svc, "tmpfs"));
  if (tmpfs.length > 0) {
    spec.tmpfs = tmpfs.map(parseTmpfs);
    origins.set("tmpfs", childPath(path, "tmpfs"));
  }
}

/** `./data` and `/srv/x` are binds (relative ones from the stack folder); any other source is a named volume. */
function hostOrVolume(ctx: ConvertContext, source: string, path: string, service: string): string | undefined {
  if (source.startsWith("~")) return fail(ctx, "value", path, `"${source}": a home folder (~) means nothing to the runtime: write an absolute path`);
  if (source.startsWith("/") || source.startsWith(".")) return resolvePath(ctx.workingDir, source);
  return namedVolume(ctx, source, path, service);
}

/** `secrets: [db_password]` → /run/secrets/db_password; `configs: [{source: app, target: /etc/app.conf}]`. */
function secretMounts(ctx: ConvertContext, svc: Record<string, unknown>, path: string, key: "secrets" | "configs", mounts: MountSpec[], origins: Origins) {
  const list = own(svc, key);
  if (!Array.isArray(list)) return;
  const declared = key === "secrets" ? ctx.secrets : ctx.configs;
  list.forEach((item, i) => {
    const p = childPath(childPath(path, key), i);
    only(ctx, item, p, ["source", "target"]);
    const source = scalarText(isRecord(item) ? own(item, "source") : item);
    const target = isRecord(item) && own(item, "target") !== undefined ? scalarText(own(item, "target")) : undefined;
    const file = declared.get(source);
    if (file === undefined) return fail(ctx, "value", p, `the ${key === "secrets" ? "secret" : "config"} "${source}" is not declared in the top-level ${key}`);
    const base = key === "secrets" ? "/run/secrets/" : "/";
    const to = target === undefined ? `${base}${source}` : target.startsWith("/") ? target : `${base}${target}`;
    origins.set(`mounts[${mounts.length}]`, p);
    mounts.push({ type: "bind", source: file, target: to, readOnly: true });
  });
}
