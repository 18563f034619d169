/** Stats history: 1-minute averages from the runtime's SQLite file (the live figures go over the WebSocket `stats` channel). */
import { router } from "../trpc";
import { runtimeQuery } from "./runtime-procedures";

export const statsRouter = router({
  history: runtimeQuery("container.stats", "stats.history"),
});
