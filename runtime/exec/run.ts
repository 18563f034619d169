/**
 * `exec.run`: one command without a TTY, its stdout and stderr captured apart
 * (the stream is multiplexed, so it is demultiplexed), each kept up to
 * RUN_OUTPUT_MAX bytes (the rest is read and dropped, `truncated` says so),
 * and its exit code. At its timeout the process is killed and the answer says
 * `timedOut`.
 */
import { Writable } from "node:stream";
import type Docker from "dockerode";
import type { z } from "zod";
import { endExecProcess } from "./kill";
import { type execMethods, type ExecRunResult, RUN_OUTPUT_MAX } from "./protocol";
import { exitCode } from "./session";
import { runningContainer } from "./terminal-channel";

type RunInput = z.output<(typeof execMethods)["exec.run"]>;

/** Keeps the first `max` bytes written to it and counts the rest. */
class Capped extends Writable {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    const room = this.max - this.size;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.chunks.push(part);
      this.size += part.length;
    }
    if (chunk.length > room) this.truncated = true;
    done();
  }
  text(): string {
    // A cut may fall inside a character: the decoder shows it as U+FFFD, once.
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

export async function runCommand(docker: Docker, input: RunInput): Promise<ExecRunResult> {
  const { container, info, name } = await runningContainer(docker, input.id, "run a command");
  const started = Date.now();
  const exec = await container.exec({
    Cmd: input.cmd,
    ...(input.user ? { User: input.user } : {}),
    ...(input.workdir ? { WorkingDir: input.workdir } : {}),
    ...(input.environment ? { Env: input.environment } : {}),
    Tty: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new Capped(RUN_OUTPUT_MAX);
  const stderr = new Capped(RUN_OUTPUT_MAX);
  docker.modem.demuxStream(stream, stdout, stderr);
  let timedOut = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      stream.destroy();
      void endExecProcess(docker, exec, info.Id);
      resolve();
    }, input.timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
  });
  const code = timedOut ? null : await exitCode(exec);
  return {
    containerId: info.Id,
    name,
    stdout: stdout.text(),
    stderr: stderr.text(),
    exitCode: code,
    truncated: stdout.truncated || stderr.truncated,
    timedOut,
    durationMs: Date.now() - started,
  };
}
