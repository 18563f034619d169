/**
 * The runtime names the container an action was done to by the same rule the
 * engine used to pick it: the full id, then the exact name, then a unique id
 * prefix. A container whose name is another one's id prefix is the one acted on,
 * and the answer must say so, not name the other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet, inspectFormat, requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

requirePrivateEngine();

const prefix = `berth-ref-${process.pid}`;
let runtime: StartedRuntime;
const made: string[] = [];

/** Creates a stopped container and waits until the runtime's live list has it, so the list's order is creation order. */
async function create(name: string): Promise<string> {
  const id = docker("create", "--name", name, "--label", `berth-test=${prefix}`, "busybox", "sleep", "600");
  made.push(id);
  for (let i = 0; i < 100; i++) {
    if ((await runtime.client.call("containers.list", {})).some((c) => c.id === id)) return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the runtime never listed ${name}`);
}

beforeAll(async () => {
  runtime = await startRuntime("ref");
});

afterAll(async () => {
  for (const id of made) dockerQuiet("rm", "-f", id);
  await runtime?.stop();
});

describe("container references in the runtime's answers", () => {
  it("a name that is another container's id prefix: the named one is acted on and named", async () => {
    const first = await create(`${prefix}-first`);
    // Hex, twelve characters: exactly what `docker ps` shows as the first one's id.
    const lookalike = first.slice(0, 12);
    const second = await create(lookalike);

    const r = await runtime.client.call("containers.start", { id: lookalike });
    expect(inspectFormat(second, "{{.State.Running}}")).toBe("true");
    expect(inspectFormat(first, "{{.State.Running}}")).toBe("false");
    expect(r).toEqual({ id: second, name: lookalike, changed: true });

    const bulk = await runtime.client.call("containers.bulk", { action: "stop", ids: [lookalike], timeout: 0 });
    expect(bulk.results).toEqual([{ id: second, name: lookalike, ok: true, changed: true }]);
  });

  it("a short unique id prefix is resolved to the full id and the name", async () => {
    const id = await create(`${prefix}-short`);
    const ids = (await runtime.client.call("containers.list", {})).map((c) => c.id);
    // The shortest prefix (from 1 character) no other container shares: the engine takes it, so does the answer.
    let n = 1;
    while (ids.some((other) => other !== id && other.startsWith(id.slice(0, n)))) n++;
    const r = await runtime.client.call("containers.start", { id: id.slice(0, n) });
    expect(r).toEqual({ id, name: `${prefix}-short`, changed: true });
    await runtime.client.call("containers.stop", { id, timeout: 0 });
  });

  it("recorded logs: a name that is another container's id prefix searches that container's history only", async () => {
    const other = docker("create", "--name", `${prefix}-hx`, "--label", `berth-test=${prefix}`, "busybox", "sh", "-c", "echo from-the-other; sleep 600");
    made.push(other);
    const lookalike = other.slice(0, 12);
    for (const container of [`${prefix}-hx`, lookalike]) await runtime.client.call("logs.history.set", { container, enabled: true });
    docker("start", other);
    made.push(docker("run", "-d", "--name", lookalike, "--label", `berth-test=${prefix}`, "busybox", "sh", "-c", "echo from-the-named; sleep 600"));
    for (let i = 0; i < 100; i++) {
      const usage = (await runtime.client.call("logs.history.status", {})).usage;
      if ([`${prefix}-hx`, lookalike].every((c) => (usage.find((u) => u.container === c)?.lines ?? 0) >= 1)) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    const found = await runtime.client.call("logs.history.search", { container: lookalike });
    expect(found.lines.map((l) => [l[2], l[3]])).toEqual([["from-the-named", lookalike]]);
    const byPrefix = await runtime.client.call("logs.history.search", { container: other.slice(0, 13) });
    expect(byPrefix.lines.map((l) => l[2])).toEqual(["from-the-other"]);
  });
});
