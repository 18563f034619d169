/**
 * Every channel a page can subscribe to on `/api/ws`. A new channel is a file
 * beside this one, listed here, with its params and frames in ../protocol.ts;
 * the hub needs no change.
 */
import { attachChannel } from "./attach";
import type { Channel } from "./channel";
import { containersChannel } from "./containers";
import { eventsChannel } from "./events";
import { execChannel } from "./exec";
import { logsChannel } from "./logs";
import { statsChannel } from "./stats";
import { tasksChannel } from "./tasks";

export const channels: readonly Channel[] = [containersChannel, logsChannel, eventsChannel, statsChannel, execChannel, attachChannel, tasksChannel];
