/**
 * Networks are owned by their engine id, but a call may name one by name or
 * id prefix (as Docker allows): before the ownership check, those references
 * are resolved to full ids through the environment's runtime, the way Docker
 * resolves them (a full id, then an exact name, then a unique id prefix).
 * A reference that resolves to nothing stays as given (it is then refused
 * under `own`, or reported NOT_FOUND by the runtime).
 */
import { ruleOf, type Permission } from "../api/permissions";
import type { Connection } from "../engines/registry";

const FULL_ID = /^[0-9a-f]{64}$/;

export function resolveNetworkRef(ref: string, networks: readonly { id: string; name: string }[]): string {
  if (FULL_ID.test(ref)) return ref;
  const exact = networks.find((n) => n.id === ref) ?? networks.find((n) => n.name === ref);
  if (exact) return exact.id;
  const prefixed = networks.filter((n) => n.id.startsWith(ref));
  return prefixed.length === 1 ? prefixed[0]!.id : ref;
}

/** The target with the networks it names as full ids (other permissions: as it is). */
export async function withNetworkIds<T extends { ids?: readonly string[]; conn?: Connection }>(permission: Permission, target: T): Promise<T> {
  const rule = ruleOf(permission);
  if (rule.scope !== "env" || rule.resource !== "network" || !target.ids?.length || target.ids.every((r) => FULL_ID.test(r))) return target;
  let networks: { id: string; name: string }[] = [];
  try {
    networks = target.conn ? await target.conn.runtime.call("networks.list", {}) : [];
  } catch {
    // The engine cannot say: names stay names, and are refused unless a row is keyed by them.
  }
  return { ...target, ids: target.ids.map((r) => resolveNetworkRef(r, networks)) };
}
