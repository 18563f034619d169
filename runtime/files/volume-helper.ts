/**
 * Browsing a volume without an agent: the volume is mounted at /volume in a
 * short-lived helper container, and the archive endpoints (and, for folder
 * operations, an exec with an argv, never a shell) work on that container.
 *
 * The image: `busybox` when the engine has it (it usually does: it is the image
 * most people pull first), else the runtime pulls `busybox:latest` once. It has
 * `sleep`, `mkdir`, `mv` and `rm`, and nothing else is needed.
 *
 * A helper: labelled io.berth.helper=volume-browser and io.berth.volume=<name>,
 * no network, read-only root filesystem, no capabilities but the three file
 * operations need, the volume read-only for browsing and read-write for writes.
 * Its command is `sleep` for at most LIFETIME_S and it is AutoRemove, so even a
 * runtime killed with SIGKILL leaves nothing behind for long. The runtime removes
 * it after IDLE_MS without use, on stop, and at start removes those a previous
 * run of this runtime (same data directory) left, and any past their expiry.
 */
import { createHash, randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import { ensureHelperImage, HELPER_IMAGE } from "../engine/helper-image";
import { VOLUME_MOUNT } from "./paths";

export const HELPER_LABEL = "io.berth.helper";
export const HELPER_KIND = "volume-browser";
export const VOLUME_LABEL = "io.berth.volume";
const RUNTIME_LABEL = "io.berth.runtime";
const EXPIRES_LABEL = "io.berth.expires";

/** The helper's `sleep`: it exits (and is removed) after this even if nobody removes it. */
export const LIFETIME_S = 15 * 60;
/** Unused this long, it is removed. */
export const IDLE_MS = 60_000;
/** A helper this close to its end is not handed out again (a download may take a while). */
const RETIRE_BEFORE_END_MS = 5 * 60_000;
/** How long a stop waits for the engine to remove the helpers. */
const STOP_WAIT_MS = 5_000;

export type Mode = "ro" | "rw";

interface Helper {
  id: string;
  createdAt: number;
  uses: number;
  idle?: NodeJS.Timeout;
  retired: boolean;
}

export class VolumeHelpers {
  private readonly helpers = new Map<string, Promise<Helper>>();
  private readonly runtimeTag: string;
  private image: Promise<string> | undefined;
  private stopping = false;

  constructor(private readonly docker: Docker, dataDir: string) {
    this.runtimeTag = createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
  }

  /**
   * Runs `work` with a helper mounting `volume` (`ro` or `rw`); the helper stays
   * for later calls until idle. `work` may keep using it until its promise settles.
   */
  async use<T>(volume: string, mode: Mode, work: (id: string) => Promise<T>): Promise<T> {
    if (this.stopping) throw new RuntimeFailure({ code: "RUNTIME_UNAVAILABLE", message: "the runtime is stopping" });
    const helper = await this.acquire(volume, mode);
    try {
      return await work(helper.id);
    } finally {
      this.release(volume, mode, helper);
    }
  }

  /** Like `use`, for a stream: call the returned `done` when the stream has ended. */
  async borrow(volume: string, mode: Mode): Promise<{ id: string; done: () => void }> {
    if (this.stopping) throw new RuntimeFailure({ code: "RUNTIME_UNAVAILABLE", message: "the runtime is stopping" });
    const helper = await this.acquire(volume, mode);
    let released = false;
    return {
      id: helper.id,
      done: () => {
        if (released) return;
        released = true;
        this.release(volume, mode, helper);
      },
    };
  }

  private async acquire(volume: string, mode: Mode): Promise<Helper> {
    const key = `${mode}:${volume}`;
    for (;;) {
      let pending = this.helpers.get(key);
      if (!pending) {
        pending = this.create(volume, mode);
        this.helpers.set(key, pending);
        pending.catch(() => this.helpers.delete(key));
      }
      const helper = await pending;
      if (!helper.retired && Date.now() - helper.createdAt < LIFETIME_S * 1000 - RETIRE_BEFORE_END_MS) {
        helper.uses++;
        clearTimeout(helper.idle);
        helper.idle = undefined;
        return helper;
      }
      // Too old to hand out: a fresh one replaces it; it goes once its last user is done.
      helper.retired = true;
      if (this.helpers.get(key) === pending) this.helpers.delete(key);
      if (helper.uses === 0) void this.remove(helper.id);
    }
  }

  private release(volume: string, mode: Mode, helper: Helper): void {
    helper.uses--;
    if (helper.uses > 0) return;
    if (helper.retired || this.stopping) return void this.remove(helper.id);
    helper.idle = setTimeout(() => {
      const key = `${mode}:${volume}`;
      if (helper.uses > 0) return;
      helper.retired = true;
      void this.helpers.get(key)?.then((h) => {
        if (h === helper) this.helpers.delete(key);
      });
      void this.remove(helper.id);
    }, IDLE_MS);
    helper.idle.unref();
  }

  private async create(volume: string, mode: Mode): Promise<Helper> {
    // Mounting a volume that does not exist would create it: check first.
    try {
      await this.docker.getVolume(volume).inspect();
    } catch (err) {
      const e = toRuntimeError(err, `volume ${volume}`);
      if (e.code === "NOT_FOUND") throw new RuntimeFailure({ code: "NOT_FOUND", field: "id", message: `id: no volume named "${volume}"` });
      throw new RuntimeFailure(e);
    }
    const image = await this.helperImage();
    const suffix = randomBytes(4).toString("hex");
    const createdAt = Date.now();
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        name: `berth-volume-browser-${volume.slice(0, 40)}-${suffix}`,
        Image: image,
        Cmd: ["sleep", String(LIFETIME_S)],
        User: "0:0",
        WorkingDir: "/",
        NetworkDisabled: true,
        Labels: {
          [HELPER_LABEL]: HELPER_KIND,
          [VOLUME_LABEL]: volume,
          [RUNTIME_LABEL]: this.runtimeTag,
          [EXPIRES_LABEL]: String(Math.ceil(createdAt / 1000) + LIFETIME_S),
          "io.berth.helper.mode": mode,
        },
        HostConfig: {
          NetworkMode: "none",
          AutoRemove: true,
          ReadonlyRootfs: true,
          Mounts: [{ Type: "volume", Source: volume, Target: VOLUME_MOUNT, ReadOnly: mode === "ro" }],
          CapDrop: ["ALL"],
          CapAdd: ["CHOWN", "DAC_OVERRIDE", "FOWNER"],
          SecurityOpt: ["no-new-privileges"],
          Memory: 64 * 1024 * 1024,
          PidsLimit: 32,
        },
      });
    } catch (err) {
      throw new RuntimeFailure(toRuntimeError(err, `the helper container for volume ${volume}`));
    }
    try {
      await container.start();
    } catch (err) {
      await this.remove(container.id);
      throw new RuntimeFailure(toRuntimeError(err, `the helper container for volume ${volume}`));
    }
    return { id: container.id, createdAt, uses: 0, retired: false };
  }

  /** `busybox` if present, else pulled once (the engine's registry or mirror). */
  private helperImage(): Promise<string> {
    this.image ??= ensureHelperImage(this.docker);
    this.image.catch(() => (this.image = undefined));
    return this.image.catch((err: unknown) => {
      throw new RuntimeFailure({ ...toRuntimeError(err, `image ${HELPER_IMAGE}`), message: `volume browsing needs the image ${HELPER_IMAGE}, which is not on this engine and could not be pulled: ${toRuntimeError(err).message}` });
    });
  }

  private async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true });
    } catch {
      // Already gone (AutoRemove) or the engine is away: its sleep ends it anyway.
    }
  }

  /**
   * Lets go of `volume` now (before `docker volume rm`, which a mounted volume
   * would refuse): idle helpers are removed at once, busy ones when their last
   * user is done. Resolves with how many were removed or marked.
   */
  async releaseVolume(volume: string): Promise<number> {
    let count = 0;
    for (const mode of ["ro", "rw"] as const) {
      const key = `${mode}:${volume}`;
      const pending = this.helpers.get(key);
      if (!pending) continue;
      this.helpers.delete(key);
      const helper = await pending.catch(() => undefined);
      if (!helper) continue;
      count++;
      helper.retired = true;
      clearTimeout(helper.idle);
      if (helper.uses === 0) await this.remove(helper.id);
    }
    return count;
  }

  /** Helpers a previous run of this runtime left, and any past their expiry. */
  async sweep(): Promise<number> {
    const found = await this.docker.listContainers({ all: true, filters: { label: [`${HELPER_LABEL}=${HELPER_KIND}`] } });
    const now = Date.now() / 1000;
    const known = new Set<string>();
    for (const p of this.helpers.values()) await p.then((h) => known.add(h.id), () => undefined);
    const stale = found.filter((c) => !known.has(c.Id) && (c.Labels[RUNTIME_LABEL] === this.runtimeTag || Number(c.Labels[EXPIRES_LABEL] ?? 0) < now));
    await Promise.all(stale.map((c) => this.remove(c.Id)));
    return stale.length;
  }

  /**
   * Removes every helper of this runtime (on stop). Waits at most STOP_WAIT_MS:
   * an engine that does not answer must not hold up the stop (the helpers' own
   * sleep ends them, and the next start sweeps them).
   */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const all = [...this.helpers.values()];
    this.helpers.clear();
    const removed = Promise.all(all.map((p) => p.then((h) => {
      clearTimeout(h.idle);
      return this.remove(h.id);
    }, () => undefined)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([removed, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }
}

/**
 * Runs `argv` in the helper (no shell: each argument is passed as is) and
 * resolves with its output; rejects with the command's own error output when it fails.
 */
export async function execIn(docker: Docker, id: string, argv: string[], what: string): Promise<string> {
  const container = docker.getContainer(id);
  let output = "";
  let code: number | null | undefined;
  try {
    const exec = await container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, User: "0:0" });
    const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      const sink = { write: (chunk: Buffer) => { if (output.length < 4096) output += chunk.toString("utf8"); return true; } };
      docker.modem.demuxStream(stream, sink as never, sink as never);
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", reject);
    });
    code = (await exec.inspect()).ExitCode;
  } catch (err) {
    throw new RuntimeFailure(toRuntimeError(err, what));
  }
  if (code !== 0) {
    const message = output.trim().split("\n").pop()?.replace(/^[a-z]+: /, "") || `exited with code ${code}`;
    throw new RuntimeFailure({ code: "BAD_REQUEST", message: `${what}: ${message}` });
  }
  return output;
}
