/**
 * `containers.kill` and bulk kill take the signals the engine takes (names with
 * or without SIG, any case, RTMIN+n, numbers 1–64) and refuse anything else with
 * a 400 that names the field and says what would do, before asking the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet, inspectFormat, requirePrivateEngine } from "./private-engine";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-signal-${process.pid}`;
const NAME = `${prefix}-target`;
const hint = "(use a name such as SIGTERM or KILL, or a number 1–64)";
let runtime: StartedRuntime;

/** A shell that exits 40 + n on the signals it traps, so the exit code says which one came. */
function startTarget(): void {
  dockerQuiet("rm", "-f", NAME);
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "trap 'exit 41' USR1; trap 'exit 42' HUP; trap 'exit 43' 37; while true; do sleep 0.1; done");
}

async function exitCode(): Promise<string> {
  for (let i = 0; i < 50 && inspectFormat(NAME, "{{.State.Running}}") === "true"; i++) await new Promise((r) => setTimeout(r, 100));
  return inspectFormat(NAME, "{{.State.ExitCode}}");
}

beforeAll(async () => {
  runtime = await startRuntime("signal");
});

afterAll(async () => {
  dockerQuiet("rm", "-f", NAME);
  await runtime?.stop();
});

describe("kill signals", () => {
  it.each([
    ["FOO", `signal: unknown signal "FOO" ${hint}`],
    ["SIGFOO", `signal: unknown signal "SIGFOO" ${hint}`],
    ["0", `signal: unknown signal "0" ${hint}`],
    ["65", `signal: unknown signal "65" ${hint}`],
    ["RTMIN+16", `signal: unknown signal "RTMIN+16" ${hint}`],
    ["NOT A SIGNAL", `signal: unknown signal "NOT A SIGNAL" ${hint}`],
  ])("%s is a 400 naming the field, and nothing is sent", async (signal, message) => {
    startTarget();
    const err = await callError(runtime.client.call("containers.kill", { id: NAME, signal }));
    expect(err).toMatchObject({ code: "BAD_REQUEST", field: "signal", message });
    const bulk = await callError(runtime.client.call("containers.bulk", { action: "kill", ids: [NAME], signal }));
    expect(bulk).toMatchObject({ code: "BAD_REQUEST", field: "signal", message });
    expect(inspectFormat(NAME, "{{.State.Running}}")).toBe("true");
  });

  it.each([
    ["usr1", "41"],
    ["SIGHUP", "42"],
    ["sigrtmin+3", "43"],
    ["37", "43"],
  ])("%s is sent as the engine reads it", async (signal, code) => {
    startTarget();
    expect(await runtime.client.call("containers.kill", { id: NAME, signal })).toMatchObject({ changed: true });
    expect(await exitCode()).toBe(code);
  });
});
