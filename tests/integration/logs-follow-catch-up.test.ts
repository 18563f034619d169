/**
 * A follow whose reader fell behind when the container stopped. After such a
 * follow ends, runtime/logs/source.ts reads the rest once from the last line it
 * has (the bench saw a view lose a third of a million lines without it). Here
 * the reader is held still mid-flood until the container has exited: every
 * line must arrive exactly once, so that extra read doubles nothing. This does
 * not make dockerd end the follow early (a reader merely paused is drained to,
 * on the code before that read too); the bench's exact count is what caught that.
 */
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LogSource } from "../../runtime/logs/source";
import { docker, dockerQuiet, requirePrivateEngine } from "./private-engine";

const NAME = `berth-catch-up-${process.pid}`;
const LINES = 200_000;
let engine: Docker;

beforeAll(() => {
  const host = requirePrivateEngine();
  engine = new Docker({ socketPath: host.replace(/^unix:\/\//, "") });
  dockerQuiet("rm", "-f", NAME);
});

afterAll(() => {
  dockerQuiet("rm", "-f", NAME);
});

it("a follow held back while the container floods and exits still delivers every line, once", { timeout: 120_000 }, async () => {
  docker("create", "--name", NAME, "busybox", "seq", "1", String(LINES));
  docker("start", NAME);
  const seen: string[] = [];
  const states: string[] = [];
  const source: LogSource = new LogSource({
    docker: engine,
    id: NAME,
    tty: false,
    follow: true,
    tail: "all",
    stdout: true,
    stderr: true,
    onLine: (line) => {
      seen.push(line.text);
      // Held still after the first lines, as a runtime busy elsewhere would be.
      if (seen.length === 1000) source.pause();
    },
    onState: (s) => void states.push(s),
    onEnd: () => undefined,
  });
  source.start();
  docker("wait", NAME);
  // The engine has everything and the container is gone; the reader still holds most of it back.
  await new Promise((r) => setTimeout(r, 2000));
  source.resume();
  const deadline = Date.now() + 60_000;
  while (!states.includes("stopped") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  source.close();
  expect(states).toContain("stopped");
  expect(seen.length).toBe(LINES);
  expect(seen[0]).toBe("1");
  expect(seen[LINES - 1]).toBe(String(LINES));
  expect(new Set(seen).size).toBe(LINES);
});
