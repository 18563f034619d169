import { procedure, router } from "../trpc";
import { mintTicket } from "../../realtime/tickets";

export const wsRouter = router({
  /** A short-lived, single-use ticket for the WebSocket upgrade (never a session token in a URL). */
  ticket: procedure("ws.ticket").mutation(({ ctx }) => mintTicket(ctx.user!)),
});
