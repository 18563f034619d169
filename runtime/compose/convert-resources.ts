/**
 * The file's top-level networks, volumes, secrets and configs. Engine names as
 * compose gives them: `PROJECT_key`, or `name:`, or for an external one its name
 * (`external: {name: x}` is the older spelling). Secret and config files must be
 * in the stack folder.
 */
import { type ConvertContext, fail, only, pathInFolder, scalarText, toRecord } from "./convert-context";
import type { ComposeNetwork, ComposeVolume } from "./model";
import { childPath, isRecord, own } from "./yaml-source";

function engineName(ctx: ConvertContext, key: string, def: unknown, path: string): { name: string; external: boolean } {
  const ext = own(def, "external");
  const named = own(def, "name");
  if (ext === true || isRecord(ext)) {
    const old = own(ext, "name");
    if (old !== undefined && named !== undefined && old !== named) fail(ctx, "value", childPath(path, "external"), "external.name and name differ: give one of them");
    return { name: scalarText(named ?? old ?? key), external: true };
  }
  return { name: named !== undefined ? scalarText(named) : `${ctx.project}_${key}`, external: false };
}

const opts = (ctx: ConvertContext, v: unknown, path: string) => (isRecord(v) ? toRecord(ctx, v, path) : undefined);

export function convertNetworks(ctx: ConvertContext, top: unknown): void {
  if (!isRecord(top)) return;
  for (const key of Object.keys(top)) {
    const def = top[key];
    const path = childPath("networks", key);
    only(ctx, def, path, ["name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels", "enable_ipv6"]);
    const { name, external } = engineName(ctx, key, def, path);
    const n: ComposeNetwork = { key, name, external };
    if (external) {
      only(ctx, def, path, ["name", "external"]);
      ctx.networks[key] = n;
      continue;
    }
    if (own(def, "driver") !== undefined) n.driver = scalarText(own(def, "driver"));
    const driverOpts = opts(ctx, own(def, "driver_opts"), childPath(path, "driver_opts"));
    if (driverOpts) n.driverOpts = driverOpts;
    const ipam = own(def, "ipam");
    if (isRecord(ipam)) {
      const ip = childPath(path, "ipam");
      only(ctx, ipam, ip, ["driver", "config"]);
      const config = own(ipam, "config");
      n.ipam = {
        ...(own(ipam, "driver") !== undefined ? { driver: scalarText(own(ipam, "driver")) } : {}),
        config: (Array.isArray(config) ? config : []).map((c, i) => {
          only(ctx, c, childPath(childPath(ip, "config"), i), ["subnet", "gateway", "ip_range", "aux_addresses"]);
          const aux = own(c, "aux_addresses");
          return {
            ...(own(c, "subnet") !== undefined ? { subnet: scalarText(own(c, "subnet")) } : {}),
            ...(own(c, "gateway") !== undefined ? { gateway: scalarText(own(c, "gateway")) } : {}),
            ...(own(c, "ip_range") !== undefined ? { ipRange: scalarText(own(c, "ip_range")) } : {}),
            ...(isRecord(aux) ? { auxAddresses: toRecord(ctx, aux, childPath(childPath(childPath(ip, "config"), i), "aux_addresses")) } : {}),
          };
        }),
      };
    }
    for (const [k, field] of [["internal", "internal"], ["attachable", "attachable"], ["enable_ipv6", "enableIpv6"]] as const) {
      if (own(def, k) !== undefined) n[field] = own(def, k) === true;
    }
    if (own(def, "labels") !== undefined) n.labels = toRecord(ctx, own(def, "labels"), childPath(path, "labels"));
    ctx.networks[key] = n;
  }
}

export function convertVolumesTop(ctx: ConvertContext, top: unknown): void {
  if (!isRecord(top)) return;
  for (const key of Object.keys(top)) {
    const def = top[key];
    const path = childPath("volumes", key);
    only(ctx, def, path, ["name", "driver", "driver_opts", "external", "labels"]);
    const { name, external } = engineName(ctx, key, def, path);
    const v: ComposeVolume = { key, name, external };
    if (!external) {
      if (own(def, "driver") !== undefined) v.driver = scalarText(own(def, "driver"));
      const driverOpts = opts(ctx, own(def, "driver_opts"), childPath(path, "driver_opts"));
      if (driverOpts) v.driverOpts = driverOpts;
      if (own(def, "labels") !== undefined) v.labels = toRecord(ctx, own(def, "labels"), childPath(path, "labels"));
    } else only(ctx, def, path, ["name", "external"]);
    ctx.volumes[key] = v;
  }
}

/** Top-level `secrets:`/`configs:` with `file:` (Berth mounts the file read-only; no swarm store). */
export function convertFiles(ctx: ConvertContext, top: unknown, section: "secrets" | "configs"): void {
  if (!isRecord(top)) return;
  const out = section === "secrets" ? ctx.secrets : ctx.configs;
  for (const key of Object.keys(top)) {
    const def = top[key];
    const path = childPath(section, key);
    only(ctx, def, path, ["file"]);
    const file = own(def, "file");
    if (file === undefined) {
      fail(ctx, "unsupported", path, `Berth supports only ${section} with a file: give "file:" (a file of the stack folder)`);
      continue;
    }
    const abs = pathInFolder(ctx, scalarText(file), childPath(path, "file"));
    if (abs !== undefined) out.set(key, abs);
  }
}
