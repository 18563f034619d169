/**
 * loadProject: compose.yaml + .env → ComposeProject (model.ts), or every problem
 * the file has, each naming its line and key. The steps, in compose's order:
 * YAML (bounded, see yaml-source.ts) → variable substitution (interpolate.ts) →
 * the Compose Specification's schema (schema-check.ts) → keys Berth supports and
 * the conversion of each service to a RunSpec (convert-*.ts) → checks across
 * services (project-checks.ts) → validateRunSpec on each service's spec.
 */
import { stringify } from "yaml";
import { validateRunSpec } from "../run-spec/validate";
import { canonicalJson } from "./config-hash";
import { type ConvertContext, fail, only, pathInFolder, scalarText, stringList } from "./convert-context";
import { convertFiles, convertNetworks, convertVolumesTop } from "./convert-resources";
import { convertService } from "./convert-service";
import type { Origins } from "./convert-storage";
import { parseDotenv } from "./dotenv";
import { interpolateTree, newContext, type VariableInfo } from "./interpolate";
import { type ComposeError, type ComposeService, type DependsOnCondition, type LoadInput, type LoadResult, type ServiceNetwork } from "./model";
import { addressErrors, dependencyErrors, hostPortErrors, replicaErrors } from "./project-checks";
import { schemaErrors } from "./schema-check";
import { childPath, isRecord, own, parseYaml } from "./yaml-source";

export const MAX_SERVICES = 200;
export const MAX_FILE_BYTES = 512 * 1024;
const serviceName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const TOP_KEYS = ["version", "name", "services", "networks", "volumes", "secrets", "configs"];

export interface LoadDetails {
  result: LoadResult;
  warnings: string[];
  variables: VariableInfo[];
  /** The file after substitution (when it parsed). */
  interpolated?: string;
}

export function loadProject(input: LoadInput): LoadResult {
  return loadDetailed(input).result;
}

const failed = (errors: ComposeError[], warnings: string[] = [], variables: VariableInfo[] = [], interpolated?: string): LoadDetails => ({
  result: { ok: false, errors },
  warnings,
  variables,
  interpolated,
});

/** .env's values, or its error (the .env line, not a compose line). */
export function readEnv(env: string | undefined): { vars: Map<string, string> } | { error: ComposeError } {
  const parsed = parseDotenv(env ?? "");
  if (parsed.ok) return { vars: parsed.values };
  return { error: { kind: "variable", path: ".env", message: `.env, line ${parsed.line}: ${parsed.message}` } };
}

export function loadDetailed(input: LoadInput): LoadDetails {
  if (input.file.length > MAX_FILE_BYTES) return failed([{ kind: "yaml", path: "", message: `the file is larger than ${MAX_FILE_BYTES / 1024} KB` }]);
  const env = readEnv(input.env);
  if ("error" in env) return failed([env.error]);
  const parsed = parseYaml(input.file);
  if (!parsed.ok) return failed(parsed.errors);
  const { value: doc, locs } = parsed.parsed;
  if (!isRecord(doc)) return failed([{ kind: "schema", path: "", line: 1, message: "line 1: the file must be a map with a services key" }]);
  const services = own(doc, "services");
  if (isRecord(services) && Object.keys(services).length > MAX_SERVICES)
    return failed([{ kind: "value", path: "services", line: locs.get("services")?.line, message: `line ${locs.get("services")?.line}, services: a stack can have at most ${MAX_SERVICES} services` }]);

  // Substitution, on the sections compose substitutes (not x- extensions).
  const ictx = newContext(env.vars, locs);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(doc)) out[key] = TOP_KEYS.includes(key) && key !== "version" ? interpolateTree(doc[key], key, ictx, key) : doc[key];
  const variables = [...ictx.uses.values()].sort((a, b) => a.name.localeCompare(b.name));
  const warnings = [...ictx.warnings];
  const interpolated = stringify(out, { aliasDuplicateObjects: false, lineWidth: 0 });
  if (ictx.errors.length > 0) return failed(ictx.errors, warnings, variables, interpolated);
  const schema = schemaErrors(out, locs);
  if (schema.length > 0) return failed(schema, warnings, variables, interpolated);

  const ctx: ConvertContext = {
    project: input.name,
    workingDir: input.workingDir,
    locs,
    errors: [],
    warnings,
    vars: env.vars,
    readFile: input.readFile,
    networks: Object.create(null),
    volumes: Object.create(null),
    secrets: new Map(),
    configs: new Map(),
  };
  if (own(out, "version") !== undefined) warnings.push(`${where(ctx, "version")}the "version" key is obsolete: compose ignores it, and so does Berth`);
  const named = own(out, "name");
  if (named !== undefined && scalarText(named) !== input.name)
    warnings.push(`${where(ctx, "name")}the file names the project "${scalarText(named)}": the stack's name "${input.name}" is used`);
  convertNetworks(ctx, own(out, "networks"));
  convertVolumesTop(ctx, own(out, "volumes"));
  convertFiles(ctx, own(out, "secrets"), "secrets");
  convertFiles(ctx, own(out, "configs"), "configs");

  const svcs = isRecord(own(out, "services")) ? (own(out, "services") as Record<string, unknown>) : Object.create(null);
  if (Object.keys(svcs).length === 0) fail(ctx, "schema", "services", "the file defines no services");
  const enabled = new Set(input.profiles ?? []);
  const disabled = new Set<string>();
  const result: ComposeService[] = [];
  const origins = new Map<string, Origins>();
  for (const name of Object.keys(svcs)) {
    const path = childPath("services", name);
    if (!serviceName.test(name)) {
      fail(ctx, "value", path, `"${name}" is not a valid service name: letters, digits, _ . -, starting with a letter or digit, at most 63`);
      continue;
    }
    const svc = svcs[name];
    if (!isRecord(svc)) {
      fail(ctx, "schema", path, "must be a map");
      continue;
    }
    const profiles = stringList(own(svc, "profiles"));
    if (profiles.length > 0 && !profiles.some((p) => enabled.has(p))) {
      disabled.add(name);
      warnings.push(`${where(ctx, path)}the service "${name}" is left out: its profiles (${profiles.join(", ")}) are not enabled`);
      continue;
    }
    const o: Origins = new Map();
    origins.set(name, o);
    const spec = convertService(ctx, name, svc, path, o);
    if (!spec) continue;
    // host, none, bridge, container:NAME go to the engine as the container's network mode, and the
    // security check sees them (`network: host` is the host's namespace); service:NAME is resolved
    // to that service's container by the stack engine.
    const mode = own(svc, "network_mode");
    if (mode !== undefined && !scalarText(mode).startsWith("service:")) {
      spec.network = scalarText(mode);
      o.set("network", childPath(path, "network_mode"));
    }
    result.push(serviceModel(ctx, name, svc, path, spec, profiles));
  }
  if (result.some((s) => s.networks.some((n) => n.key === "default")) && !Object.hasOwn(ctx.networks, "default"))
    ctx.networks.default = { key: "default", name: `${input.name}_default`, external: false };
  dependencyErrors(ctx, result, new Set(Object.keys(svcs)), disabled);
  // A dependency that is optional (`required: false`) and left out by its profile is dropped.
  const kept = new Set(result.map((s) => s.name));
  for (const s of result) s.dependsOn = s.dependsOn.filter((d) => kept.has(d.service));
  replicaErrors(ctx, result);
  hostPortErrors(ctx, result, origins);
  addressErrors(ctx, result);
  if (ctx.errors.length === 0) {
    for (const s of result) {
      const checked = validateRunSpec(s.spec);
      if (checked.ok) continue;
      for (const e of checked.errors) ctx.errors.push(specError(ctx, s, e.field, e.message, origins.get(s.name) ?? new Map()));
    }
  }
  // In the file's order, as the editor lists them (stable: same line keeps the order found).
  if (ctx.errors.length > 0) return failed([...ctx.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), warnings, variables, interpolated);
  return {
    result: { ok: true, project: { name: input.name, services: result, networks: ctx.networks, volumes: ctx.volumes, interpolated, warnings } },
    warnings,
    variables,
    interpolated,
  };
}

function where(ctx: ConvertContext, path: string): string {
  const loc = ctx.locs.get(path);
  return loc ? `line ${loc.line}, ${path}: ` : `${path}: `;
}

/** A RunSpec field error (`ports[1].hostPort: …`) said at the compose key it came from. */
function specError(ctx: ConvertContext, s: ComposeService, field: string, message: string, origins: Origins): ComposeError {
  let prefix = field;
  while (prefix && !origins.has(prefix)) prefix = prefix.slice(0, Math.max(prefix.lastIndexOf("."), prefix.lastIndexOf("["), 0));
  // A rule on a whole list (`ports` with a shared network) is said at the key of its first entry's list.
  const entry = prefix ? undefined : [...origins].find(([k]) => k.startsWith(`${field}[`))?.[1].replace(/(\[\d+\]|\.[^.[]+)$/, "");
  const composePath = origins.get(prefix) ?? entry ?? childPath("services", s.name);
  const rest = entry !== undefined && !origins.has(prefix) ? "" : field.slice(prefix.length).replace(/^\./, "");
  const text = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const before = ctx.errors.length;
  fail(ctx, "value", composePath, rest ? `${rest}: ${text}` : text);
  return ctx.errors.splice(before, 1)[0];
}

/** Everything but the RunSpec: build, networks, depends_on, replicas, and the config the hash is made of. */
function serviceModel(ctx: ConvertContext, name: string, svc: Record<string, unknown>, path: string, spec: ComposeService["spec"], profiles: string[]): ComposeService {
  const s: ComposeService = { name, spec, networks: [], dependsOn: [], replicas: 1, profiles, line: ctx.locs.get(path)?.line, config: {} };
  const build = own(svc, "build");
  if (build !== undefined) {
    const bp = childPath(path, "build");
    only(ctx, build, bp, ["context", "dockerfile", "args", "target"]);
    const context = scalarText(isRecord(build) ? (own(build, "context") ?? ".") : build);
    if (/^[a-z]+:\/\/|^git@|^github\.com\//i.test(context)) fail(ctx, "unsupported", bp, `Berth builds only from a folder inside the stack folder, not "${context}"`);
    else if (pathInFolder(ctx, context, isRecord(build) ? childPath(bp, "context") : bp) !== undefined) {
      s.build = { context };
      if (isRecord(build)) {
        if (own(build, "dockerfile") !== undefined) s.build.dockerfile = scalarText(own(build, "dockerfile"));
        if (own(build, "target") !== undefined) s.build.target = scalarText(own(build, "target"));
        if (own(build, "args") !== undefined) s.build.args = Object.fromEntries(listArgs(own(build, "args")));
      }
    }
  }
  const mode = own(svc, "network_mode");
  const nets = own(svc, "networks");
  if (mode !== undefined) {
    s.networkMode = scalarText(mode);
    if (nets !== undefined) fail(ctx, "value", childPath(path, "network_mode"), "network_mode and networks cannot be used together");
    const m = /^service:(.+)$/.exec(s.networkMode);
    if (m) s.dependsOn.push({ service: m[1], condition: "service_started" });
  } else s.networks = serviceNetworks(ctx, nets, childPath(path, "networks"));
  const deps = own(svc, "depends_on");
  if (Array.isArray(deps)) for (const d of deps) addDep(s, scalarText(d), "service_started");
  else if (isRecord(deps)) {
    for (const d of Object.keys(deps)) {
      only(ctx, deps[d], childPath(childPath(path, "depends_on"), d), ["condition", "required"]);
      const required = own(deps[d], "required");
      addDep(s, d, (own(deps[d], "condition") as DependsOnCondition | undefined) ?? "service_started", required === false ? false : undefined);
    }
  }
  const replicas = own(own(svc, "deploy"), "replicas");
  const scale = own(svc, "scale");
  if (replicas !== undefined && scale !== undefined && Number(replicas) !== Number(scale))
    fail(ctx, "value", childPath(path, "scale"), "scale and deploy.replicas differ: give one of them");
  const count = Number(replicas ?? scale ?? 1);
  if (!Number.isInteger(count) || count < 0 || count > 100) fail(ctx, "value", childPath(path, scale !== undefined ? "scale" : "deploy"), "replicas must be a whole number from 0 to 100");
  else s.replicas = count;
  if (own(svc, "container_name") !== undefined) s.containerName = scalarText(own(svc, "container_name"));
  if (own(svc, "pull_policy") !== undefined) s.pullPolicy = own(svc, "pull_policy") as ComposeService["pullPolicy"];
  // Env order does not change a container: sorted so reordering the file keeps the hash.
  const hashed = { ...spec, ...(spec.env ? { env: [...spec.env].sort() } : {}) };
  s.config = JSON.parse(canonicalJson({ spec: hashed, build: s.build, networks: s.networks, networkMode: s.networkMode, containerName: s.containerName }));
  return s;
}

function addDep(s: ComposeService, service: string, condition: DependsOnCondition, required?: boolean) {
  if (s.dependsOn.some((d) => d.service === service)) return;
  s.dependsOn.push(required === undefined ? { service, condition } : { service, condition, required });
}

function listArgs(v: unknown): [string, string][] {
  if (Array.isArray(v)) return v.map((a) => scalarText(a).split(/=(.*)/s).slice(0, 2) as [string, string]).filter(([k]) => k !== "__proto__");
  if (isRecord(v)) return Object.keys(v).filter((k) => k !== "__proto__").map((k) => [k, scalarText(v[k])]);
  return [];
}

function serviceNetworks(ctx: ConvertContext, nets: unknown, path: string): ServiceNetwork[] {
  if (nets === undefined || nets === null) return [{ key: "default" }];
  const entries: [string, unknown, string][] = Array.isArray(nets)
    ? nets.map((n, i) => [scalarText(n), null, childPath(path, i)])
    : isRecord(nets) ? Object.keys(nets).map((k) => [k, nets[k], childPath(path, k)]) : [];
  const out: ServiceNetwork[] = [];
  for (const [key, def, p] of entries) {
    if (key !== "default" && !Object.hasOwn(ctx.networks, key)) {
      fail(ctx, "value", p, `the network "${key}" is not declared in the top-level networks`);
      continue;
    }
    only(ctx, def, p, ["aliases", "ipv4_address", "ipv6_address"]);
    const n: ServiceNetwork = { key };
    const aliases = stringList(own(def, "aliases"));
    if (aliases.length > 0) n.aliases = aliases;
    if (own(def, "ipv4_address") !== undefined) n.ipv4Address = scalarText(own(def, "ipv4_address"));
    if (own(def, "ipv6_address") !== undefined) n.ipv6Address = scalarText(own(def, "ipv6_address"));
    out.push(n);
  }
  return out;
}
