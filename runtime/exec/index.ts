/**
 * The exec capability: interactive terminals (`/ws/exec`, `/ws/attach`) and a
 * one-off command without a TTY (`exec.run`).
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { attachChannel } from "./attach";
import { ATTACH_CHANNEL, EXEC_CHANNEL, execMethods, type ExecResults } from "./protocol";
import { runCommand } from "./run";
import { execChannel } from "./session";

export function execCapability({ docker }: EngineContext): Capability {
  return defineCapability<typeof execMethods, ExecResults>({
    name: "exec",
    methods: execMethods,
    handlers: {
      "exec.run": (input) => runCommand(docker, input),
    },
    channels: {
      [EXEC_CHANNEL]: execChannel(docker),
      [ATTACH_CHANNEL]: attachChannel(docker),
    },
  });
}
