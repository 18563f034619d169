/**
 * What a channel is to the hub: a name, the permission a subscriber needs, a
 * schema for its parameters, and `open`, which starts one subscription. The
 * hub checks everything before `open` (permission, environment, parameters,
 * limits) and applies the one backpressure policy (../backpressure.ts) by
 * calling pause/resume.
 */
import type { z } from "zod";
import type { SessionUser } from "../../auth/session";
import type { Permission } from "../../api/permissions";
import type { Connection } from "../../engines/registry";
import type { Access } from "../../authz/authorize";
import { type ChannelFrame, type ChannelName, type ChannelParams, channelSchemas } from "../protocol";

export interface ChannelContext<C extends ChannelName> {
  user: SessionUser;
  /** The page's address, as the audit records it. */
  sourceIp: string;
  /** The environment id as subscribed (audit rows name it). */
  env: string;
  /** The subscription's environment, resolved through the registry. */
  conn: Connection;
  params: ChannelParams<C>;
  /** What the subscriber was granted (server/authz): under `own`, frames about objects they may not see are dropped. */
  access: Access;
  /** Sends one data frame. */
  send(data: ChannelFrame<C>): void;
  /** Sends one data frame given as its JSON (a relay passes the runtime's bytes on without parsing them). */
  sendJson(json: Buffer | string): void;
  /** Sends raw bytes as one binary frame of this subscription (a terminal's output). */
  sendBinary(payload: Uint8Array): void;
  /** The subscription is over by itself: `closed` goes out (with `detail` when it did not end normally). */
  close(detail?: string): void;
}

export interface ChannelStream {
  close(): void;
  pause(): void;
  resume(): void;
  /** Bytes the page sent in a binary frame for this subscription; a channel without it takes none. */
  onInput?(data: Buffer): void;
  /** A `control` message's data, parsed with the channel's controlSchema. */
  onControl?(data: unknown): void;
}

export interface Channel<C extends ChannelName = ChannelName> {
  name: C;
  permission: Permission;
  paramsSchema: (typeof channelSchemas)[C]["params"];
  /** What a `control` message's data must be; a channel without it takes no control. */
  controlSchema?: z.ZodType;
  open(ctx: ChannelContext<C>): ChannelStream;
}

/** A channel whose params schema is the protocol's one for its name. */
export function defineChannel<C extends ChannelName>(name: C, spec: Omit<Channel<C>, "name" | "paramsSchema">): Channel<C> {
  return { name, paramsSchema: channelSchemas[name].params, ...spec };
}
