/**
 * A page applies live container changes in batches (app/_lib/container-changes.ts):
 * the batch must give the same list as applying each change on its own, in order.
 */
import { describe, expect, it } from "vitest";
import { applyContainerChanges, type ContainerChange } from "../../app/_lib/container-changes";
import type { ContainerSummary } from "../../runtime/engine/protocol";

const c = (id: string, state = "created"): ContainerSummary =>
  ({ id, name: `n-${id}`, state, status: state, image: "busybox", created: 0, labels: {}, ports: [], networks: [] }) as unknown as ContainerSummary;

/** The one-at-a-time reference: what the page did before batching. */
function oneByOne(list: ContainerSummary[], changes: ContainerChange[]): ContainerSummary[] {
  for (const ch of changes) {
    if (ch.type === "remove") list = list.filter((x) => x.id !== ch.id);
    else {
      const i = list.findIndex((x) => x.id === ch.container.id);
      list = i === -1 ? [...list, ch.container] : list.map((x, j) => (j === i ? ch.container : x));
    }
  }
  return list;
}

describe("applyContainerChanges", () => {
  it("updates in place, removes, and appends new containers", () => {
    const list = [c("a"), c("b"), c("c")];
    const out = applyContainerChanges(list, [
      { type: "upsert", container: c("b", "running") },
      { type: "remove", id: "a" },
      { type: "upsert", container: c("d", "running") },
    ]);
    expect(out.map((x) => `${x.id}:${x.state}`)).toEqual(["b:running", "c:created", "d:running"]);
    // Untouched containers keep their identity (React and the table reuse them).
    expect(out[1]).toBe(list[2]);
  });

  it("keeps the last change of a container: start then stop, remove then create again", () => {
    const out = applyContainerChanges([c("a"), c("b")], [
      { type: "upsert", container: c("a", "running") },
      { type: "upsert", container: c("a", "exited") },
      { type: "remove", id: "b" },
      { type: "upsert", container: c("b", "created") },
    ]);
    expect(out.map((x) => `${x.id}:${x.state}`)).toEqual(["a:exited", "b:created"]);
  });

  it("agrees with one-at-a-time application on random sequences", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const list = Array.from({ length: rand(8) }, (_, i) => c(`x${i}`));
      const changes: ContainerChange[] = Array.from({ length: rand(12) }, () =>
        rand(3) === 0 ? { type: "remove", id: `x${rand(10)}` } : { type: "upsert", container: c(`x${rand(10)}`, ["running", "exited"][rand(2)]) },
      );
      expect(applyContainerChanges(list, changes)).toEqual(oneByOne(list, changes));
    }
  });
});
