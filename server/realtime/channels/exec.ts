/**
 * `exec`: an interactive process in a container (`docker exec -it`), relayed
 * from the runtime's `/ws/exec`. Bytes are binary frames both ways; `control`
 * messages resize, pause and resume it. Audited per session (./terminal.ts).
 */
import { terminalControlSchema } from "../../../runtime/exec/protocol";
import { defineChannel } from "./channel";
import { openTerminal } from "./terminal";

export const execChannel = defineChannel("exec", {
  permission: "container.exec",
  controlSchema: terminalControlSchema,
  open(ctx) {
    const { cmd, user, workdir, cols, rows } = ctx.params;
    return openTerminal(ctx, { channel: "exec", action: "container.exec", describe: { cmd, user: user ?? "", workdir: workdir ?? "", cols, rows } });
  },
});
