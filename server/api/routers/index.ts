import { router } from "../trpc";
import { auditRouter } from "./audit";
import { consoleRecordingsRouter } from "./console-recordings";
import { containersRouter } from "./containers";
import { containerCreateRouter } from "./container-create";
import { engineRouter } from "./engine";
import { environmentsRouter } from "./environments";
import { execRouter } from "./exec";
import { logsRouter } from "./logs";
import { sessionRouter } from "./session";
import { setupRouter } from "./setup";
import { statsRouter } from "./stats";
import { wsRouter } from "./ws";

export const appRouter = router({
  setup: setupRouter,
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
});

export type AppRouter = typeof appRouter;
