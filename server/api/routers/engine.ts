import { procedure, router } from "../trpc";
import { engineStatus } from "../../realtime/hub";

export const engineRouter = router({
  status: procedure("engine.read").query(() => engineStatus()),
});
