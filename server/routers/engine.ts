import { procedure, router } from "../trpc";
import { engineStatus } from "../ws/hub";

export const engineRouter = router({
  status: procedure("engine.read").query(() => engineStatus()),
});
