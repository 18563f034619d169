/**
 * docker run ⇄ RunSpec ⇄ Engine API, pure TypeScript (no dockerode, no Node APIs):
 * app/ uses it for the create form, the live command preview and the paste box;
 * runtime/ uses it to build the create request and to describe existing containers.
 */
export * from "./schema";
export { validateRunSpec, crossFieldErrors, type FieldError, type ValidationResult } from "./validate";
export { fieldPath } from "../protocol/zod-issues";
export { ipInSubnet, isIp } from "./ip";
export { parseDockerRun, type ParseResult } from "./parse-command";
export { toCreateRequest, type CreateRequest } from "./to-engine";
export { specFromInspect, type EngineDefaults } from "./from-inspect";
export { toDockerRun, dockerRunArgs, dockerRunCaveats, type ToDockerRunOptions } from "./to-command";
export { shellQuote, shellLine } from "./shell-quote";
export { flagDefs } from "./flags";
export type { CreateContainerBody, ContainerInspect, ImageInspect } from "./engine-types";
export { parseImageReference, imageReferenceError, repositoryError, tagError, type ImageReference } from "./image-reference";
export { parseBytes, formatBytes, parseDuration, formatDuration } from "./units";
