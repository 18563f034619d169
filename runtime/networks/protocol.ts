/**
 * The networks capability's wire contract: list, inspect, create (with its
 * address plan checked by run-spec/subnets.ts), remove. Connecting a container is
 * `containers.networkConnect` (the containers capability). Never imports dockerode.
 */
import { z } from "zod";
import type { MethodTable } from "../protocol/registry";
import { ipamProblems } from "../run-spec/subnets";
import { stringMap } from "../protocol/string-map";

export { stringMap };

/** A network id, id prefix or name, as Docker resolves it. */
export const networkRefSchema = z
  .string()
  .min(1, "is required")
  .max(255, "must be at most 255 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "must be a network id or name");

export const networkDrivers = ["bridge", "macvlan", "ipvlan", "overlay"] as const;

const ipText = z.string().max(64, "must be at most 64 characters");

export const ipamConfigSchema = z.strictObject({
  subnet: z.string().min(1, "is required").max(64, "must be at most 64 characters"),
  ipRange: z.string().max(64, "must be at most 64 characters").optional(),
  gateway: ipText.optional(),
  auxAddresses: z
    .record(z.string().min(1).max(64).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "an auxiliary address name: letters, digits, _ . -"), ipText)
    .refine((m) => Object.keys(m).length <= 64, "at most 64 auxiliary addresses")
    .optional(),
});
export type IpamConfig = z.infer<typeof ipamConfigSchema>;

/** The create's fields without the address-plan check (so the dashboard can extend them; add refineNetworkCreate after). */
export const networkCreateFields = z.strictObject({
  name: z
    .string()
    .min(1, "is required")
    .max(128, "must be at most 128 characters")
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a name Docker accepts: letters, digits, _ . - (starting with a letter or digit)"),
  driver: z.enum(networkDrivers, { message: `must be one of ${networkDrivers.join(", ")}` }).default("bridge"),
  ipam: z.array(ipamConfigSchema).max(4, "at most 4 subnets").default([]),
  enableIPv6: z.boolean().default(false),
  internal: z.boolean().default(false),
  attachable: z.boolean().default(false),
  labels: stringMap("label", 100).default({}),
  options: stringMap("driver option", 50).default({}),
});

/** The address plan checked on its own (run-spec/subnets.ts); each issue's path names its field (`ipam[0].gateway: …`). */
export function refineNetworkCreate(v: { ipam: IpamConfig[]; enableIPv6: boolean }, ctx: z.RefinementCtx): void {
  for (const p of ipamProblems(v.ipam, v.enableIPv6)) ctx.addIssue({ code: "custom", path: p.path, message: p.problem });
}

export const networkCreateSchema = networkCreateFields.superRefine(refineNetworkCreate);
export type NetworkCreateInput = z.input<typeof networkCreateSchema>;

export const networkMethods = {
  "networks.list": z.strictObject({}),
  "networks.inspect": z.strictObject({ id: networkRefSchema }),
  "networks.create": networkCreateSchema,
  "networks.remove": z.strictObject({ id: networkRefSchema }),
} as const satisfies MethodTable;

export interface NetworkIpam {
  subnet?: string;
  ipRange?: string;
  gateway?: string;
  auxAddresses?: Record<string, string>;
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  /** ISO time, as Docker reports it. */
  created: string;
  internal: boolean;
  attachable: boolean;
  enableIPv6: boolean;
  ipam: NetworkIpam[];
  labels: Record<string, string>;
  options: Record<string, string>;
  /** Containers connected (running or not), from the live container list. */
  containers: number;
  /** Docker's own networks (bridge, host, none): they cannot be removed. */
  builtIn: boolean;
}

export interface ConnectedContainer {
  id: string;
  name: string;
  state: string;
  /** With its prefix length, as Docker shows it (`10.231.8.11/24`), when the container runs. */
  ipv4?: string;
  ipv6?: string;
  mac?: string;
  aliases: string[];
  /** The static addresses it was connected with (`--ip`), kept while it is stopped. */
  staticIpv4?: string;
  staticIpv6?: string;
}

export interface NetworkResults {
  "networks.list": NetworkSummary[];
  "networks.inspect": NetworkSummary & { containersConnected: ConnectedContainer[] };
  "networks.create": { id: string; name: string; warning?: string };
  "networks.remove": { id: string; name: string };
}
