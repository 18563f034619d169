import { procedure, router } from "../trpc";

export const sessionRouter = router({
  me: procedure("session.read").query(({ ctx }) => ctx.user),
});
