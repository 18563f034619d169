/**
 * Every capability's methods and channels in one table: what the runtime server
 * validates against and what the dashboard's client is typed by. The only file
 * of runtime/protocol/ that imports capability protocols; they import only the
 * shared files beside it.
 */
import type { z } from "zod";
import { containerDeadlines, containerMethods, type ContainerResults } from "../containers/protocol";
import { engineMethods, type EngineResults, type EventsFrame } from "../engine/protocol";
import { logsDeadlines, logsMethods, type LogsFrame, type LogsResults } from "../logs/protocol";
import { deadlineFrom } from "./deadlines";

/** Inputs of every runtime method; the runtime validates, the dashboard reuses them. */
export const methods = {
  ...engineMethods,
  ...containerMethods,
  ...logsMethods,
} as const;

export type MethodName = keyof typeof methods;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]>;

/** Results of every runtime method. */
export interface MethodResults extends EngineResults, ContainerResults, LogsResults {}

/** The runtime's deadline for one call of `method` with this input, in ms. */
export const methodDeadlineMs = deadlineFrom({ ...containerDeadlines, ...logsDeadlines });

/** Frames of each WebSocket channel, by channel name (`/ws/<name>`). */
export interface ChannelFrames {
  events: EventsFrame;
  logs: LogsFrame;
}
export type ChannelName = keyof ChannelFrames;
