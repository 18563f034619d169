/** The compose library: compose.yaml + .env → ComposeProject (model.ts), and a RunSpec back to a compose service. */
export * from "./model";
export { loadProject, loadDetailed, type LoadDetails } from "./load";
export { configHash, canonicalJson } from "./config-hash";
export { listVariables, type VariableInfo } from "./variables";
export { parseDotenv } from "./dotenv";
