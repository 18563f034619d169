import { router } from "../trpc";
import { auditRouter } from "./audit";
import { containersRouter } from "./containers";
import { engineRouter } from "./engine";
import { sessionRouter } from "./session";
import { setupRouter } from "./setup";
import { wsRouter } from "./ws";

export const appRouter = router({
  setup: setupRouter,
  session: sessionRouter,
  engine: engineRouter,
  containers: containersRouter,
  ws: wsRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
