/**
 * A terminal over the runtime's `/ws/exec` or `/ws/attach` for the integration
 * tests: collects the raw output bytes and the status frames, and sends input
 * (binary) and control (JSON text) as the dashboard does.
 */
import type { TerminalControl, TerminalFrame } from "../../runtime/protocol/index";
import type { RuntimeClient } from "../../server/engines/runtime-client";

export interface Term {
  frames: TerminalFrame[];
  output(): Buffer;
  text(): string;
  write(s: string | Buffer): void;
  control(c: TerminalControl | Record<string, unknown>): void;
  /** Resolves once `test` holds (checked on every frame and every chunk), rejects after ms. */
  until(test: () => boolean, ms?: number, what?: string): Promise<void>;
  closed: Promise<string | undefined>;
  close(): void;
}

export function openTerm(client: RuntimeClient, channel: "exec" | "attach", params: unknown): Term {
  const chunks: Buffer[] = [];
  const frames: TerminalFrame[] = [];
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  let onClosed: (d?: string) => void = () => undefined;
  const closed = new Promise<string | undefined>((r) => (onClosed = r));
  const stream = client.stream(channel, params, {
    onFrame: (json) => {
      frames.push(JSON.parse(json.toString()) as TerminalFrame);
      poke();
    },
    onBinary: (data) => {
      chunks.push(data);
      poke();
    },
    onClose: (detail) => {
      onClosed(detail);
      poke();
    },
  });
  const output = () => Buffer.concat(chunks);
  return {
    frames,
    output,
    text: () => output().toString("utf8"),
    write: (s) => void stream.send(typeof s === "string" ? Buffer.from(s) : s, true),
    control: (c) => void stream.send(JSON.stringify(c), false),
    until(test, ms = 10_000, what = "condition") {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!test()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; output so far: ${JSON.stringify(output().toString("utf8").slice(-500))}; frames: ${JSON.stringify(frames)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => stream.close(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
