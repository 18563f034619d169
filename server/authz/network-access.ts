/**
 * Connecting a container to a network: the container is checked as any
 * container action; the network is reached too (server/authz/network-refs.ts
 * resolves its name).
 */
import type { Connection } from "../engines/registry";
import { AccessDenied, type Access } from "./authorize";
import { resolveNetworkRef } from "./network-refs";

/**
 * Under `own` access, connecting one's container to a network reaches that
 * network too: it must be one the user may see, or one of Docker's own
 * (bridge, host, none), which everyone's containers share.
 */
export async function checkNetworkUsable(access: Access, conn: Connection, ref: string): Promise<void> {
  if (access.scope === "all") return;
  const networks = await conn.runtime.call("networks.list", {});
  const id = resolveNetworkRef(ref, networks);
  const net = networks.find((n) => n.id === id);
  if (net?.builtIn || access.sees("network", id)) return;
  throw new AccessDenied("container.network", `network: access denied to network "${ref}": it is not yours, not shared with you, and not public.`);
}
