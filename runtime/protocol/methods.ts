/**
 * Every capability's methods and channels in one table: what the runtime server
 * validates against and what the dashboard's client is typed by. The only file
 * of runtime/protocol/ that imports capability protocols; they import only the
 * shared files beside it.
 */
import type { z } from "zod";
import { containerDeadlines, containerMethods, type ContainerResults } from "../containers/protocol";
import { engineMethods, type EngineResults, EVENTS_CHANNEL, eventsFrameSchema } from "../engine/protocol";
import { ENGINE_EVENTS_CHANNEL, engineEventsFrameSchema } from "../events/protocol";
import { ATTACH_CHANNEL, EXEC_CHANNEL, execDeadlines, execMethods, type ExecResults, terminalFrameSchema } from "../exec/protocol";
import { networkMethods, type NetworkResults } from "../networks/protocol";
import { LOGS_CHANNEL, logsDeadlines, logsFrameSchema, logsMethods, type LogsResults } from "../logs/protocol";
import { registriesDeadlines, registriesMethods, type RegistriesResults } from "../registries/protocol";
import { STATS_CHANNEL, statsFrameSchema, statsMethods, type StatsResults } from "../stats/protocol";
import { TASKS_CHANNEL, tasksFrameSchema, tasksMethods, type TasksResults } from "../tasks/protocol";
import { filesDeadlines, filesMethods, type FilesResults } from "../files/protocol";
import { transferDeadlines, transferMethods, type TransferResults } from "../transfer/protocol";
import { imagesDeadlines, imagesMethods, type ImagesResults } from "../images/protocol";
import { volumeDeadlines, volumeMethods, type VolumeResults } from "../volumes/protocol";
import { systemDeadlines, systemMethods, type SystemResults } from "../system/protocol";
import { stacksDeadlines, stacksMethods, type StacksResults } from "../stacks/protocol";
import { deadlineFrom } from "./deadlines";
import type { ChannelTable } from "./registry";

/** Inputs of every runtime method; the runtime validates, the dashboard reuses them. */
export const methods = {
  ...engineMethods,
  ...containerMethods,
  ...logsMethods,
  ...execMethods,
  ...statsMethods,
  ...tasksMethods,
  ...filesMethods,
  ...volumeMethods,
  ...networkMethods,
  ...registriesMethods,
  ...transferMethods,
  ...imagesMethods,
  ...systemMethods,
  ...stacksMethods,
} as const;

export type MethodName = keyof typeof methods;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]>;

/** Results of every runtime method. */
export interface MethodResults extends EngineResults, ContainerResults, LogsResults, ExecResults, StatsResults, TasksResults, VolumeResults, NetworkResults, RegistriesResults, TransferResults, ImagesResults, FilesResults, SystemResults, StacksResults {}

/** The runtime's deadline for one call of `method` with this input, in ms. */
export const methodDeadlineMs = deadlineFrom({ ...containerDeadlines, ...volumeDeadlines, ...registriesDeadlines, ...logsDeadlines, ...execDeadlines, ...transferDeadlines, ...imagesDeadlines, ...filesDeadlines, ...systemDeadlines, ...stacksDeadlines });

/** Every stream channel of the runtime: its path and the schema of its frames. */
export const runtimeChannels = {
  events: { path: EVENTS_CHANNEL, frame: eventsFrameSchema },
  logs: { path: LOGS_CHANNEL, frame: logsFrameSchema },
  "engine-events": { path: ENGINE_EVENTS_CHANNEL, frame: engineEventsFrameSchema },
  exec: { path: EXEC_CHANNEL, frame: terminalFrameSchema },
  attach: { path: ATTACH_CHANNEL, frame: terminalFrameSchema },
  stats: { path: STATS_CHANNEL, frame: statsFrameSchema },
  tasks: { path: TASKS_CHANNEL, frame: tasksFrameSchema },
} as const satisfies ChannelTable;

export type ChannelName = keyof typeof runtimeChannels;
/** Frames of each WebSocket channel, by channel name. */
export type ChannelFrames = { [C in ChannelName]: z.output<(typeof runtimeChannels)[C]["frame"]> };
