/**
 * `attach`: the container's main process (`docker attach`), relayed from the
 * runtime's `/ws/attach`. Unsubscribing (or closing the tab) detaches: the
 * container keeps running. Audited per session (./terminal.ts).
 */
import { terminalControlSchema } from "../../../runtime/exec/protocol";
import { defineChannel } from "./channel";
import { openTerminal } from "./terminal";

export const attachChannel = defineChannel("attach", {
  permission: "container.attach",
  controlSchema: terminalControlSchema,
  open(ctx) {
    const { cols, rows } = ctx.params;
    return openTerminal(ctx, { channel: "attach", action: "container.attach", describe: { cmd: "attach", cols, rows } });
  },
});
