/**
 * What create checks against the engine before asking it to create anything (the
 * network exists and the fixed IP is inside its subnet, referenced containers exist,
 * no running container holds the host port), and the engine facts the other
 * direction needs (image defaults, /info defaults, pulling).
 */
import type Docker from "dockerode";
import type { ImageDefaults } from "./create-types";
import type { ContainerLookup } from "./actions";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import type { RuntimeError } from "../protocol/errors";
import { type EngineDefaults, ipInSubnet, type RunSpec } from "../run-spec/index";

/** The error, pointed at a form field, with a message that starts with the field. */
export function field(e: RuntimeError, name: string, message: string): RuntimeError {
  return { ...e, field: name, message: `${name}: ${message}` };
}

const bad = (name: string, message: string): never => {
  throw new RuntimeFailure({ code: "BAD_REQUEST", field: name, message: `${name}: ${message}` });
};

const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}…` : s).slice(1, -1);
const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;
const builtinNetworks = new Set(["default", "bridge", "host", "none"]);
const allInterfaces = (ip: string | undefined) => !ip || ip === "0.0.0.0" || ip === "::";

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * A name that would change the engine request's path (`/`, `..`, `?`, `%`, control
 * characters) names nothing on the engine: refused before it is put into a URL.
 * So is one that is not text (half a UTF-16 pair): it has no UTF-8 spelling.
 */
// eslint-disable-next-line no-control-regex
const notAName = (ref: string) => ref === "." || ref === ".." || /[/?#%\s\u0000-\u001f\u007f]/.test(ref) || loneSurrogate.test(ref);
/**
 * Docker takes network names in any script; the request path must carry them
 * percent-encoded (Node refuses to send other characters, and would send
 * Latin-1 ones as single bytes), as the docker CLI does.
 */
const inPath = (ref: string) => encodeURIComponent(ref);

export async function checkAgainstEngine(docker: Docker, spec: RunSpec): Promise<void> {
  const mustExist = async (ref: string, name: string, what: string) => {
    if (notAName(ref)) bad(name, `"${shown(ref)}" is not a ${what} name or id`);
    try {
      await docker.getContainer(inPath(ref)).inspect();
    } catch (err) {
      if (statusOf(err) === 404) bad(name, `${what} "${ref}" does not exist`);
      throw new RuntimeFailure(toRuntimeError(err, `container ${ref}`));
    }
  };
  const containerMode = (mode: string | undefined) => (mode?.startsWith("container:") ? mode.slice("container:".length) : undefined);

  const net = spec.network;
  const shared = containerMode(net);
  if (shared) await mustExist(shared, "network", "container");
  else if (net && !builtinNetworks.has(net)) await checkNetwork(docker, spec, net);
  for (const [key, mode] of [["pid", spec.pid], ["ipc", spec.ipc]] as const) {
    const other = containerMode(mode);
    if (other) await mustExist(other, key, "container");
  }
  for (const [i, v] of (spec.volumesFrom ?? []).entries()) await mustExist(v.container, `volumesFrom[${i}].container`, "container");
  for (const [i, l] of (spec.links ?? []).entries()) await mustExist(l.container, `links[${i}].container`, "container");
  await checkHostPorts(docker, spec);
}

async function checkNetwork(docker: Docker, spec: RunSpec, net: string): Promise<void> {
  if (notAName(net)) bad("network", `"${shown(net)}" is not a network name or id`);
  let info: { Name: string; IPAM?: { Config?: { Subnet?: string }[] | null } };
  try {
    info = (await docker.getNetwork(inPath(net)).inspect()) as typeof info;
  } catch (err) {
    if (statusOf(err) === 404) return bad("network", `network "${net}" does not exist`);
    throw new RuntimeFailure(toRuntimeError(err, `network ${net}`));
  }
  const subnets = (info.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : []));
  for (const key of ["ip", "ip6"] as const) {
    const ip = spec[key];
    if (!ip) continue;
    const family = subnets.filter((s) => s.includes(":") === (key === "ip6"));
    // No subnet of that family: the engine's own error ("user configured subnets") says it best.
    if (family.length > 0 && !family.some((s) => ipInSubnet(ip, s)))
      bad(key, `${ip} is outside network ${info.Name}'s subnet${family.length > 1 ? "s" : ""} ${family.join(", ")}`);
  }
}

/** A fixed host port a running container already publishes: the start would fail with "port is already allocated". */
async function checkHostPorts(docker: Docker, spec: RunSpec): Promise<void> {
  const wanted = (spec.ports ?? []).flatMap((p, i) => {
    if (!p.hostPort) return [];
    const count = (p.containerPortEnd ?? p.containerPort) - p.containerPort + 1;
    // One container port with a host range: the engine picks a free one of the range.
    if (count === 1 && p.hostPortEnd !== undefined && p.hostPortEnd !== p.hostPort) return [];
    return Array.from({ length: count }, (_, k) => ({ index: i, ip: p.hostIp, port: p.hostPort! + k, proto: p.protocol ?? "tcp" }));
  });
  if (wanted.length === 0) return;
  let running: Docker.ContainerInfo[];
  try {
    running = await docker.listContainers();
  } catch (err) {
    throw new RuntimeFailure(toRuntimeError(err, "containers"));
  }
  // By "port/proto", who publishes it: one pass over what runs, one lookup per wanted port
  // (a range of thousands against hundreds of containers stays linear).
  const published = new Map<string, { name: string; ip: string }[]>();
  for (const c of running) {
    const name = (c.Names?.[0] ?? c.Id).replace(/^\//, "");
    for (const p of c.Ports ?? []) {
      if (!p.PublicPort) continue;
      const key = `${p.PublicPort}/${p.Type}`;
      const holders = published.get(key);
      if (holders) holders.push({ name, ip: p.IP ?? "" });
      else published.set(key, [{ name, ip: p.IP ?? "" }]);
    }
  }
  for (const w of wanted) {
    for (const holder of published.get(`${w.port}/${w.proto}`) ?? []) {
      if (allInterfaces(holder.ip) || allInterfaces(w.ip) || holder.ip === w.ip) {
        bad(`ports[${w.index}].hostPort`, `host port ${w.port}/${w.proto} is already allocated by container ${holder.name} (${holder.ip || "0.0.0.0"}:${w.port})`);
      }
    }
  }
}

/** The engine's defaults from /info, so the command leaves them out. */
export async function engineDefaults(docker: Docker, lookup: ContainerLookup): Promise<EngineDefaults> {
  const info = (await docker.info()) as { CgroupVersion?: string; DefaultRuntime?: string; LoggingDriver?: string; Name?: string };
  return {
    cgroupnsMode: info.CgroupVersion === "2" ? "private" : "host",
    runtime: info.DefaultRuntime,
    logDriver: info.LoggingDriver,
    hostname: info.Name,
    containerName: (id) => lookup(id)?.name,
  };
}

export async function imageDefaults(docker: Docker, image: string): Promise<ImageDefaults> {
  let info: { Id: string; Config?: Record<string, unknown> | null };
  try {
    info = (await docker.getImage(image).inspect()) as unknown as typeof info;
  } catch (err) {
    if (statusOf(err) === 404) return { image, present: false };
    const e = toRuntimeError(err);
    if (statusOf(err) === 400) throw new RuntimeFailure(field(e, "image", `"${image}": ${e.message}`));
    throw new RuntimeFailure(toRuntimeError(err, `image ${image}`));
  }
  const c = (info.Config ?? {}) as {
    Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] | null; ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null; WorkingDir?: string; User?: string; StopSignal?: string; Healthcheck?: { Test?: string[] } | null;
  };
  return {
    image,
    present: true,
    id: info.Id,
    ...(c.Cmd?.length ? { cmd: c.Cmd } : {}),
    ...(c.Entrypoint?.length ? { entrypoint: c.Entrypoint } : {}),
    ...(c.Env?.length ? { env: c.Env } : {}),
    ...(c.ExposedPorts ? { exposedPorts: Object.keys(c.ExposedPorts) } : {}),
    ...(c.Volumes ? { volumes: Object.keys(c.Volumes) } : {}),
    ...(c.WorkingDir ? { workingDir: c.WorkingDir } : {}),
    ...(c.User ? { user: c.User } : {}),
    ...(c.StopSignal ? { stopSignal: c.StopSignal } : {}),
    ...(c.Healthcheck?.Test?.length ? { healthcheck: c.Healthcheck.Test } : {}),
  };
}

