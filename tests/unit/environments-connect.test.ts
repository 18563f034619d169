/**
 * Which environments become connections at start: kind "local" on DOCKER_HOST
 * through the supervised runtime, a local one elsewhere only with its own runtime
 * address, and any other kind left out with a line that says why.
 */
import { afterEach, describe, expect, it } from "vitest";
import { connectEnvironments, type EnvironmentRow } from "../../server/engines/environments";
import { closeConnections, connection, connections } from "../../server/engines/registry";

const supervised = { address: "unix:/tmp/berth-unit-no-such.sock", key: "k", dockerHost: "unix:///var/run/docker.sock" };
const row = (over: Partial<EnvironmentRow>): EnvironmentRow => ({
  id: "local",
  name: "local",
  kind: "local",
  dockerHost: supervised.dockerHost,
  runtimeAddress: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...over,
});

afterEach(() => closeConnections());

describe("connectEnvironments", () => {
  it("connects local environments and refuses the rest, naming each refusal", () => {
    const lines: string[] = [];
    const made = connectEnvironments(
      [
        row({}),
        row({ id: "edge", name: "edge", kind: "agent" }),
        row({ id: "other", name: "other", dockerHost: "tcp://10.0.0.9:2375" }),
        row({ id: "remote", name: "remote", dockerHost: "tcp://10.0.0.9:2375", runtimeAddress: "127.0.0.1:7777" }),
      ],
      supervised,
      (l) => lines.push(l),
    );
    expect(made.map((c) => c.id)).toEqual(["local", "remote"]);
    expect(connections().map((c) => c.id)).toEqual(["local", "remote"]);
    expect(connection("remote").dockerHost).toBe("tcp://10.0.0.9:2375");
    expect(lines).toEqual([
      'environment "edge": kind "agent" is not supported yet; it is not connected',
      'environment "other": its engine (tcp://10.0.0.9:2375) is not DOCKER_HOST and it names no runtime address; it is not connected',
    ]);
    expect(() => connection("edge")).toThrow('env: environment "edge" not found');
  });
});
