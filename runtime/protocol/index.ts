/**
 * The runtime's API as one import for the dashboard: the shared schemas
 * (errors, transport, ids, deadlines) and every capability's protocol.
 * Never imports dockerode. Runtime files import the file they need
 * (./errors, ../containers/protocol…), never this one, so no capability
 * protocol depends on another through it.
 */
export * from "./errors";
export * from "./rpc";
export * from "./ids";
export type { ChannelTable, DeadlineRules, HandlersFor, MethodTable } from "./registry";
export { DASHBOARD_MARGIN_MS, DEFAULT_DEADLINE_MS, formatSeconds } from "./deadlines";
export * from "./methods";
export * from "../engine/protocol";
export * from "../containers/protocol";
export * from "../logs/protocol";
export * from "../events/protocol";
export * from "../exec/protocol";
export * from "../stats/protocol";
