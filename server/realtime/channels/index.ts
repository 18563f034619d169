/**
 * Every channel a page can subscribe to on `/api/ws`. A new channel is a file
 * beside this one, listed here, with its params and frames in ../protocol.ts;
 * the hub needs no change.
 */
import type { Channel } from "./channel";
import { containersChannel } from "./containers";
import { logsChannel } from "./logs";

export const channels: readonly Channel[] = [containersChannel, logsChannel];
