/**
 * The docker CLI is the oracle: for every corpus command, the container Berth
 * creates (parseDockerRun → toCreateRequest) must be the container the CLI creates
 * from the same command, and the command Berth shows for it (specFromInspect →
 * toDockerRun) must create that container again. Two checks per command:
 *  1. request: the CLI's exact `POST /containers/create` body, captured on a fake
 *     engine socket, equals toCreateRequest's body (no engine needed; keeps `-d`);
 *  2. engine: on the private engine, `docker inspect` of Berth's container, of the
 *     CLI's (`docker create`, same flags) and of the round-trip command's agree on
 *     Config, HostConfig and NetworkSettings.Networks, after normalising what is
 *     expected to differ (ids, names; see `normalise`).
 * Needs DOCKER_HOST of the private engine (tests/harness/engine.sh); fails without it.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { flagsByLong, flagsByShort } from "../../runtime/run-spec/flags";
import {
  parseDockerRun, specFromInspect, toCreateRequest, toDockerRun,
  type ContainerInspect, type EngineDefaults, type ImageInspect, type RunSpec,
} from "../../runtime/run-spec";
import { tokenize } from "../../runtime/run-spec/tokenize";
import { runCorpus, type CorpusEntry } from "../run-corpus";
import { type StartedRuntime, startRuntime } from "./start-runtime";

const run = promisify(execFile);
const PREFIX = "rc-";
let docker: Docker;
let runtime: StartedRuntime;
let engine: EngineDefaults;
let tmp: string;
let fake: { socket: string; bodies: { url: string; body: unknown }[]; close: () => Promise<void> };

/** A clean environment for the CLI: no user config (its `proxies` would add env vars), no variables to copy for `-e KEY`. */
const cliEnv = (host: string) =>
  ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmp, DOCKER_CONFIG: path.join(tmp, "docker-config"), DOCKER_HOST: host }) as unknown as NodeJS.ProcessEnv;
async function cli(args: string[], host = process.env.DOCKER_HOST!): Promise<string> {
  const { stdout } = await run("docker", args, { env: cliEnv(host), cwd: tmp, timeout: 30_000 });
  return stdout.trim();
}
/** Through a real shell, so the quoting of the command Berth shows is tested too. */
async function cliShell(command: string): Promise<void> {
  await run("sh", ["-c", command], { env: cliEnv(process.env.DOCKER_HOST!), cwd: tmp, timeout: 30_000 });
}
const quietly = (p: Promise<unknown>) => p.catch(() => undefined);

/** Creates a container from a spec the way Berth does: through the runtime's containers.create, without starting it. */
async function createViaBerth(spec: RunSpec, name: string): Promise<string> {
  const created = await runtime.client.call("containers.create", { spec: { ...spec, name }, createOnly: true });
  return created.id;
}

/** The corpus command as CLI arguments, with our name, and for `docker create` without the flags create lacks. */
function cliArgs(command: string, name: string, sub: "run" | "create"): string[] {
  const words = tokenize(command).tokens.map((t) => t.text);
  if (words[0] === "docker") words.shift();
  if (words[0] === "container") words.shift();
  words.shift(); // run | create
  const out: string[] = [sub, "--name", name];
  const dropForCreate = new Set(["detach", "detach-keys", "sig-proxy"]);
  let i = 0;
  while (i < words.length) {
    const w = words[i++];
    if (w === "--" || !w.startsWith("-") || w === "-") {
      out.push(w, ...words.slice(i));
      break;
    }
    if (w.startsWith("--")) {
      const def = flagsByLong.get(w.slice(2).split("=")[0]);
      const value = !def?.bool && !w.includes("=") ? [words[i++]] : [];
      if (def?.long === "name" || (sub === "create" && def && dropForCreate.has(def.long))) continue;
      out.push(w, ...value);
      continue;
    }
    // A short cluster: keep its letters except -d (create has none), and its value if the last letter takes one.
    let kept = "-";
    let value: string[] = [];
    for (let j = 1; j < w.length; j++) {
      const def = flagsByShort.get(w[j]);
      if (!def?.bool) {
        const rest = w.slice(j + 1);
        kept += w[j] + rest;
        if (rest === "") value = [words[i++]];
        break;
      }
      if (!(sub === "create" && def.long === "detach")) kept += w[j];
    }
    if (kept !== "-") out.push(kept, ...value);
  }
  return out;
}

type Inspect = Awaited<ReturnType<Docker.Container["inspect"]>>;
interface Comparable {
  Config: unknown;
  HostConfig: unknown;
  Networks: unknown;
}

/**
 * What may differ between two containers made from the same command:
 *  - the container's own id, short id and name (in Hostname, network Aliases, legacy Links);
 *  - the order of Env and Binds: the CLI collects them in Go maps, so it sends them in random order,
 *    and the option list inside a bind (`:ro,rslave`) is a set to the engine;
 *  - the order of legacy Links: the engine keeps them in its link graph and lists them in random order;
 *  - with `-d`, the Attach fields and StdinOnce: `docker run -d` clears them, but `docker create` (the engine oracle)
 *    has no -d; the request check (1) compares them exactly against `docker run -d`.
 */
function normalise(c: Inspect, detach: boolean): Comparable {
  const own = [c.Id, c.Id.slice(0, 12), c.Name.replace(/^\//, "")];
  const marks = ["<id>", "<id12>", "<name>"];
  const text = JSON.stringify({ Config: c.Config, HostConfig: c.HostConfig, Networks: c.NetworkSettings.Networks });
  let replaced = text;
  own.forEach((o, k) => (replaced = replaced.split(o).join(marks[k])));
  const out = JSON.parse(replaced) as { Config: Record<string, unknown>; HostConfig: Record<string, unknown>; Networks: unknown };
  if (Array.isArray(out.Config.Env)) out.Config.Env = [...out.Config.Env].sort();
  if (Array.isArray(out.HostConfig.Binds))
    out.HostConfig.Binds = (out.HostConfig.Binds as string[]).map(sortBindOptions).sort();
  if (Array.isArray(out.HostConfig.Links)) out.HostConfig.Links = [...(out.HostConfig.Links as string[])].sort();
  if (detach) for (const k of ["AttachStdin", "AttachStdout", "AttachStderr", "StdinOnce"]) out.Config[k] = "<detach>";
  return out;
}

function sortBindOptions(bind: string): string {
  const parts = bind.split(":");
  if (parts.length < 3) return bind;
  parts[parts.length - 1] = parts[parts.length - 1].split(",").sort().join(",");
  return parts.join(":");
}

/** Every differing leaf, as `path: berth=… cli=…`. */
function diff(a: unknown, b: unknown, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown) => typeof v === "object" && v !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
    if (!Array.isArray(a) || (a as unknown[]).length === (b as unknown[]).length)
      return keys.flatMap((k) => diff(ra[k], rb[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
  }
  return [`${at || "(root)"}: berth=${JSON.stringify(a)} cli=${JSON.stringify(b)}`];
}

/** The CLI's create body for the command, captured on the fake engine (`docker run` keeps -d; a TTY-less `-it` run falls back to create). */
async function captureCliBody(entry: CorpusEntry, name: string, sub: "run" | "create"): Promise<{ url: string; body: unknown }> {
  fake.bodies.length = 0;
  await quietly(cli(cliArgs(entry.command, name, sub), `unix://${fake.socket}`));
  if (fake.bodies.length === 0 && sub === "run") await quietly(cli(cliArgs(entry.command, name, "create"), `unix://${fake.socket}`));
  if (fake.bodies.length === 0) throw new Error(`the docker CLI sent no create request for: ${entry.command}`);
  return fake.bodies[0];
}

function sortedBody(body: unknown): unknown {
  const b = structuredClone(body) as { Env?: string[] | null; HostConfig: { Binds?: string[] | null } };
  if (b.Env) b.Env.sort();
  if (b.HostConfig.Binds) b.HostConfig.Binds = b.HostConfig.Binds.map(sortBindOptions).sort();
  return b;
}

async function startFakeEngine(dir: string): Promise<typeof fake> {
  const socket = path.join(dir, "fake.sock");
  const bodies: { url: string; body: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const headers = { "Content-Type": "application/json", "Api-Version": "1.41", Ostype: "linux" };
      if (req.url?.endsWith("/_ping")) return res.writeHead(200, headers).end("OK");
      if (req.url?.endsWith("/version"))
        return res.writeHead(200, headers).end(JSON.stringify({ Version: "20.10.24", ApiVersion: "1.41", MinAPIVersion: "1.12", Os: "linux" }));
      if (req.method === "POST" && req.url?.includes("/containers/create")) {
        bodies.push({ url: req.url, body: JSON.parse(data) });
        return res.writeHead(201, headers).end(JSON.stringify({ Id: "0123456789abcdef", Warnings: [] }));
      }
      res.writeHead(404, headers).end(JSON.stringify({ message: "not implemented by the fake engine" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { socket, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function needEngine(): void {
  if (!process.env.DOCKER_HOST || !docker)
    throw new Error("DOCKER_HOST is not set: start the private engine (tests/harness/engine.sh up) and source its env file");
}

async function removeOurs(): Promise<void> {
  for (const c of await docker.listContainers({ all: true, filters: { name: [PREFIX] } }))
    await quietly(docker.getContainer(c.Id).remove({ force: true, v: true }));
  for (const n of await docker.listNetworks({ filters: { name: [PREFIX] } })) await quietly(docker.getNetwork(n.Id).remove());
  const { Volumes } = await docker.listVolumes({ filters: { name: [PREFIX] } });
  for (const v of Volumes ?? []) await quietly(docker.getVolume(v.Name).remove());
}

describe("docker run corpus: Berth and the docker CLI create the same container", () => {
  beforeAll(async () => {
    // Without an engine every corpus test fails on its own (needEngine), rather than being reported as skipped.
    if (!process.env.DOCKER_HOST) return;
    docker = new Docker();
    await docker.ping();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "berth-rc-"));
    fake = await startFakeEngine(tmp);
    runtime = await startRuntime("rc");
    const info = (await docker.info()) as { CgroupVersion?: string; DefaultRuntime?: string; LoggingDriver?: string; Name?: string };
    engine = {
      cgroupnsMode: info.CgroupVersion === "2" ? "private" : "host",
      runtime: info.DefaultRuntime,
      logDriver: info.LoggingDriver,
      hostname: info.Name,
    };
    await removeOurs();
  });

  afterAll(async () => {
    if (docker) await removeOurs();
    await fake?.close();
    await runtime?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the corpus covers at least 35 commands", () => {
    expect(runCorpus.length).toBeGreaterThanOrEqual(35);
    expect(new Set(runCorpus.map((e) => e.id)).size).toBe(runCorpus.length);
  });

  test.each(runCorpus.map((e) => [e.id, e] as const))("%s", async (id, entry) => {
    needEngine();
    const parsed = parseDockerRun(entry.command);
    expect(parsed.errors, "parse errors").toEqual([]);
    expect(parsed.unknownFlags, "unknown flags").toEqual([]);
    const spec = parsed.spec;
    const detach = spec.detach === true;
    const names = { berth: `${PREFIX}b-${id}`, cli: `${PREFIX}c-${id}`, trip: `${PREFIX}t-${id}`, fake: `${PREFIX}f-${id}` };
    try {
      for (const step of entry.setup ?? []) await cli(step);

      // 1. The request, byte for byte (after the CLI's own random ordering of Env and Binds).
      const captured = await captureCliBody(entry, names.fake, parsed.subcommand);
      const request = toCreateRequest({ ...spec, name: names.fake });
      expect(captured.url).toContain(`name=${names.fake}`);
      expect(diff(sortedBody(request.body), sortedBody(captured.body)), "request body vs the CLI's").toEqual([]);

      // 2. The containers on the engine.
      const berthId = await createViaBerth(spec, names.berth);
      await cli(cliArgs(entry.command, names.cli, "create"));
      const berth = await docker.getContainer(berthId).inspect();
      const byCli = await docker.getContainer(names.cli).inspect();
      expect(diff(normalise(berth, detach), normalise(byCli, detach)), "Berth's container vs the CLI's").toEqual([]);

      // 3. The command Berth shows for its container creates the same container again.
      const image = await docker.getImage(berth.Config.Image).inspect();
      const nameById = new Map((await docker.listContainers({ all: true })).map((c) => [c.Id, c.Names[0]]));
      const described = specFromInspect(berth as unknown as ContainerInspect, image as unknown as ImageInspect, {
        ...engine,
        containerName: (cid) => nameById.get(cid),
      });
      const command = toDockerRun({ ...described, name: names.trip }, { subcommand: "create", multiline: true });
      await cliShell(command);
      const trip = await docker.getContainer(names.trip).inspect();
      expect(diff(normalise(berth, detach), normalise(trip, detach)), `round trip through:\n${command}`).toEqual([]);
    } finally {
      for (const name of Object.values(names)) await quietly(docker.getContainer(name).remove({ force: true, v: true }));
      for (const step of entry.teardown ?? []) await quietly(cli(step));
    }
  });
});
