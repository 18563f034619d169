/**
 * `vm.max_map_count ≥ 262144` for Elasticsearch and OpenSearch, read on the
 * ENGINE's host: a short-lived helper container runs `cat /proc/sys/vm/max_map_count`
 * (vm sysctls are not namespaced, so a container reads the host's value). The
 * runtime's own /proc would be wrong for a remote engine.
 *
 * The helper's image is the volume browser's (engine/helper-image.ts). The helper is
 * labelled as Berth's, has no network, no capabilities, a read-only root, is
 * AutoRemove, and is removed in `finally` too (a deadline or a failed attach
 * must not leave it behind).
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { ensureHelperImage } from "../../engine/helper-image";
import type { PreflightCheck } from "../protocol";
import { reason, within } from "./facts";
import type { Plan } from "./plan";

export const MIN_MAX_MAP_COUNT = 262144;
const HELPER_DEADLINE_MS = 15_000;

/** Elasticsearch or OpenSearch, from any registry, with any tag. */
export const needsMaxMapCount = (image: string) => /elasticsearch|opensearch/i.test(image.split("@")[0]!);

/** Runs the helper and resolves with what it printed. */
async function readOnEngineHost(docker: Docker): Promise<string> {
  const image = await ensureHelperImage(docker);
  let container: Docker.Container | undefined;
  try {
    container = await docker.createContainer({
      name: `berth-preflight-${randomBytes(4).toString("hex")}`,
      Image: image,
      Cmd: ["cat", "/proc/sys/vm/max_map_count"],
      Entrypoint: [],
      User: "65534:65534",
      NetworkDisabled: true,
      Labels: { "io.berth.helper": "preflight", "io.berth.expires": String(Math.ceil(Date.now() / 1000) + 60) },
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { NetworkMode: "none", AutoRemove: true, ReadonlyRootfs: true, CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges"], Memory: 16 * 1024 * 1024, PidsLimit: 8 },
    });
    // Attached before start: with AutoRemove its output is gone once it exits.
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    let output = "";
    const ended = new Promise<void>((resolve, reject) => {
      const sink = { write: (chunk: Buffer) => ((output.length < 1024 ? (output += chunk.toString("utf8")) : undefined), true) };
      docker.modem.demuxStream(stream, sink as never, sink as never);
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", reject);
    });
    await container.start();
    await ended;
    return output;
  } finally {
    const made = container;
    if (made) {
      await made.remove({ force: true }).catch(async () => {
        // AutoRemove is already removing it (409) or it is gone (404): wait until it is gone,
        // so no helper is left when the preflight answers.
        await within(5_000, "the helper's removal", made.wait({ condition: "removed" })).catch(() => undefined);
      });
    }
  }
}

export async function maxMapCountCheck(plan: Plan, docker: Docker): Promise<PreflightCheck[]> {
  const users = plan.containers.filter((c) => !c.build && needsMaxMapCount(c.spec.image));
  if (!users.length) return [];
  const names = [...new Set(users.map((c) => c.service ?? c.name))].filter(Boolean).join(", ");
  const id = "vm.max_map_count";
  const title = `vm.max_map_count is at least ${MIN_MAX_MAP_COUNT} (Elasticsearch/OpenSearch${names ? `: ${names}` : ""})`;
  let text: string;
  try {
    text = await within(HELPER_DEADLINE_MS, "the helper container reading vm.max_map_count", readOnEngineHost(docker));
  } catch (err) {
    return [{ id, title, status: "warn", message: `could not be read on the engine's host: ${reason(err)}`, fix: `check it on the engine's host: sysctl vm.max_map_count (it must be at least ${MIN_MAX_MAP_COUNT})` }];
  }
  const value = /^\s*(\d+)\s*$/.exec(text)?.[1];
  if (value === undefined) {
    return [{ id, title, status: "warn", message: `the helper container printed no number: ${JSON.stringify(text.slice(0, 200))}`, fix: `check it on the engine's host: sysctl vm.max_map_count` }];
  }
  const n = Number(value);
  if (n >= MIN_MAX_MAP_COUNT) return [{ id, title, status: "pass", message: `${n} on the engine's host` }];
  return [{
    id,
    title,
    status: "fail",
    message: `${n} on the engine's host: Elasticsearch refuses to start below ${MIN_MAX_MAP_COUNT}`,
    fix: `on the engine's host, as root: sysctl -w vm.max_map_count=${MIN_MAX_MAP_COUNT} (and to keep it after a reboot: echo vm.max_map_count=${MIN_MAX_MAP_COUNT} > /etc/sysctl.d/99-elasticsearch.conf)`,
  }];
}
