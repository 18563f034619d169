/**
 * What the images routes share: JSON answers in the RPC's shape, and refusals
 * that read (and drop) the rest of an upload first so the caller sees them.
 */
import { refuseRoute, sendJson } from "../server";

export { sendJson };

/** Answers `{ok:false, error}` once the rest of the body is read and dropped (runtime/server.ts). */
export const refuse = refuseRoute;
