/**
 * The image of Berth's short-lived helper containers (the volume browser, the
 * preflight's vm.max_map_count reader): `busybox` when the engine has it (it
 * usually does), else pulled once through the engine's registry or mirror.
 */
import type Docker from "dockerode";
import { pullImage } from "./client";
import { toRuntimeError } from "./errors";

export const HELPER_IMAGE = "busybox:latest";

/** The helper image's reference once it is on the engine (pulled if it was not). */
export async function ensureHelperImage(docker: Docker): Promise<string> {
  try {
    await docker.getImage(HELPER_IMAGE).inspect();
    return HELPER_IMAGE;
  } catch (err) {
    if (toRuntimeError(err).code !== "NOT_FOUND") throw err;
  }
  await pullImage(docker, HELPER_IMAGE);
  return HELPER_IMAGE;
}
