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
import { execRouter } from "./exec";
import { logsRouter } from "./logs";
import { sessionRouter } from "./session";
import { setupRouter } from "./setup";
import { statsRouter } from "./stats";
import { teamsRouter } from "./teams";
import { usersRouter } from "./users";
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
  exec: execRouter,
  consoleRecordings: consoleRecordingsRouter,
  access: accessRouter,
  apiTokens: apiTokensRouter,
  users: usersRouter,
  teams: teamsRouter,
  environmentSecurity: environmentSecurityRouter,
});

export type AppRouter = typeof appRouter;
