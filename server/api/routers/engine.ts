import { envProcedure, router } from "../trpc";

export const engineRouter = router({
  status: envProcedure("engine.read").query(({ ctx }) => ctx.conn.live.engine()),
});
