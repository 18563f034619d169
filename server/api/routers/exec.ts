/**
 * One-off commands in a container without a TTY ("Run command"): stdout, stderr
 * and the exit code. Interactive terminals go over the WebSocket (`exec` and
 * `attach` channels, audited per session there); this call is audited like every
 * mutation, its input (the command) in the row.
 */
import { methods } from "~/runtime/protocol/index";
import { envProcedure, router, withoutEnv } from "../trpc";
import { auditContainer } from "./runtime-procedures";

export const execRouter = router({
  run: envProcedure("container.exec", methods["exec.run"]).mutation(async ({ input, ctx }) => {
    auditContainer(ctx, input.id);
    const r = await ctx.conn.runtime.call("exec.run", withoutEnv(input));
    auditContainer(ctx, r.containerId, r.name);
    return r;
  }),
});
