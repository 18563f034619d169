import { router } from "../trpc";
import { accountRouter } from "./account";
import { apiTokensRouter } from "./api-tokens";
import { accessRouter } from "./access";
import { auditRouter } from "./audit";
import { consoleRecordingsRouter } from "./console-recordings";
import { containersRouter } from "./containers";
import { containerCreateRouter } from "./container-create";
import { engineRouter } from "./engine";
import { environmentSecurityRouter } from "./environment-security";
import { environmentsRouter } from "./environments";
import { imageTransferRouter } from "./image-transfer";
import { imagesRouter } from "./images";
import { execRouter } from "./exec";
import { filesRouter } from "./files";
import { logsRouter } from "./logs";
import { networksRouter } from "./networks";
import { registriesRouter } from "./registries";
import { sessionRouter } from "./session";
import { setupRouter } from "./setup";
import { statsRouter } from "./stats";
import { systemRouter } from "./system";
import { tasksRouter } from "./tasks";
import { teamsRouter } from "./teams";
import { usersRouter } from "./users";
import { volumesRouter } from "./volumes";
import { stacksRouter } from "./stacks";
import { templatesRouter } from "./templates";
import { wsRouter } from "./ws";

export const appRouter = router({
  setup: setupRouter,
  account: accountRouter,
  session: sessionRouter,
  engine: engineRouter,
  environments: environmentsRouter,
  containers: containersRouter,
  containerCreate: containerCreateRouter,
  ws: wsRouter,
  audit: auditRouter,
  logs: logsRouter,
  stats: statsRouter,
  system: systemRouter,
  tasks: tasksRouter,
  volumes: volumesRouter,
  networks: networksRouter,
  imageTransfer: imageTransferRouter,
  images: imagesRouter,
  exec: execRouter,
  files: filesRouter,
  consoleRecordings: consoleRecordingsRouter,
  access: accessRouter,
  apiTokens: apiTokensRouter,
  users: usersRouter,
  registries: registriesRouter,
  teams: teamsRouter,
  environmentSecurity: environmentSecurityRouter,
  stacks: stacksRouter,
  templates: templatesRouter,
});

export type AppRouter = typeof appRouter;
