import { procedure, router } from "../trpc";

export const sessionRouter = router({
  // The session id stays on the server side of the page.
  me: procedure("session.read").query(({ ctx }) => ctx.user && { id: ctx.user.id, username: ctx.user.username, role: ctx.user.role }),
});
