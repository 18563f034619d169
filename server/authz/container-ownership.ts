/**
 * Ownership of the containers (and volumes, networks) Berth creates, recreates and removes. The row
 * is written before the create (keyed "pending:<control id>", the same id in
 * the container's ACCESS_LABEL), so the new container is visible to its owner
 * from its very first event, then keyed by the engine's id once it is known.
 */
import { z } from "zod";
import { berthDetailsOf } from "../errors";
import type { ResourceType, Role } from "../api/permissions";
import { ACCESS_LABEL, accessLevels, dropControl, moveControl, newControlId, setControl, type AccessLevel } from "./ownership";

/** How a create names its ownership; absent: Private for a Standard user, Administrators only otherwise. */
export const accessInputSchema = z.strictObject({
  access: z.enum(accessLevels),
  userIds: z.array(z.string().min(1).max(64)).max(100).default([]),
  teamIds: z.array(z.string().min(1).max(64)).max(100).default([]),
});
export type AccessInput = z.output<typeof accessInputSchema>;

export function defaultAccess(role: Role | null): AccessLevel {
  return role === "admin" || role === "env-admin" ? "admins" : "private";
}

/** The spec with Berth's label naming its control (a label the caller set is replaced: it cannot borrow another's access). */
export function labelledSpec(spec: Record<string, unknown>, controlId: string): Record<string, unknown> {
  const labels = spec.labels;
  if (labels !== undefined && (typeof labels !== "object" || labels === null || Array.isArray(labels))) return spec;
  return { ...spec, labels: { ...(labels as Record<string, unknown> | undefined), [ACCESS_LABEL]: controlId } };
}

/** Labels without Berth's own (volumes and networks are owned by key, not by label: none may claim one). */
export function withoutBerthLabels(labels: Record<string, string>): Record<string, string> {
  const { [ACCESS_LABEL]: _ours, ...theirs } = labels;
  return theirs;
}

interface CreateCall<T extends { id: string }> {
  env: string;
  userId: string;
  role: Role | null;
  access?: AccessInput;
  /** What is created (default: a container); volumes are keyed by name, networks by id (`T.id`). */
  type?: ResourceType;
  create(controlId: string): Promise<T>;
}

/** Runs a create with its ownership row around it. */
export async function createOwned<T extends { id: string }>(call: CreateCall<T>): Promise<T> {
  const type = call.type ?? "container";
  const controlId = newControlId();
  const pending = `pending:${controlId}`;
  const access = call.access ?? { access: defaultAccess(call.role), userIds: [], teamIds: [] };
  await setControl({ env: call.env, type, resourceId: pending, ownerId: call.userId, ...access }, controlId);
  try {
    const r = await call.create(controlId);
    // A volume's name can outlive its volume (removed outside Berth): the new object is not the old one's.
    if (type !== "container") await dropControl(call.env, type, r.id);
    await moveControl(call.env, type, pending, r.id);
    return r;
  } catch (err) {
    // Created but not started (or found after a runtime restart): the container exists, and so does its owner.
    // Only then: a name conflict also names a container (the one holding the name), which is not this one's.
    const details = berthDetailsOf({ cause: err });
    const created = type === "container" && details.created === true ? details.containerId : undefined;
    try {
      if (created) await moveControl(call.env, type, pending, created);
      else await dropControl(call.env, type, pending);
    } catch (bookkeeping) {
      // The create's own error is what the person must read; this one goes to the log.
      console.error(`[authz] the ownership of a failed create could not be settled: ${(bookkeeping as Error)?.message ?? String(bookkeeping)}`);
    }
    throw err;
  }
}
