import { describe, expect, it } from "vitest";
import { bulkCli, cli } from "../../app/_features/containers/cli";
import { shellQuote as sh } from "../../runtime/run-spec/shell-quote";
import { createBodyFromInspect } from "../../runtime/containers/recreate";
import { updateBody } from "../../runtime/containers/ops";
import { methods } from "../../runtime/protocol/index";
import type { ContainerInspectJson } from "../../runtime/containers/types";

describe("CLI equivalents", () => {
  it("quotes only what sh needs quoted", () => {
    expect(sh("web-1")).toBe("web-1");
    expect(sh('CMD ["sh"]')).toBe(`'CMD ["sh"]'`);
    expect(sh("it's")).toBe(`'it'\\''s'`);
  });
  it("spells each action as the docker CLI does", () => {
    expect(cli.kill(["web"], "SIGHUP")).toBe("docker kill --signal SIGHUP web");
    expect(cli.kill(["web"], "SIGKILL")).toBe("docker kill web");
    expect(cli.stop(["web"], 5)).toBe("docker stop -t 5 web");
    expect(cli.remove(["web"], true, true)).toBe("docker rm -f -v web");
    expect(cli.commit("web", { repository: "me/web", tag: "v1", author: "A B", changes: ['CMD ["sh"]'] })).toBe(
      `docker commit --author 'A B' --change 'CMD ["sh"]' web me/web:v1`,
    );
    expect(cli.update("web", { memory: "64m", memorySwap: "128m", restart: "on-failure:3" })).toBe(
      "docker update --memory 64m --memory-swap 128m --restart on-failure:3 web",
    );
    expect(cli.connect("web", "backend", "10.0.0.5", undefined, ["db"])).toBe("docker network connect --ip 10.0.0.5 --alias db backend web");
    expect(bulkCli("unpause", ["a", "b"])).toBe("docker unpause a b");
  });
});

describe("docker update body", () => {
  const parse = (input: unknown) => methods["containers.update"].parse(input);
  it("uses the CLI's units and sets swap to twice a new memory limit", () => {
    expect(updateBody(parse({ id: "web", memory: "64m", cpus: "1.5", restartPolicy: { name: "no" } }))).toEqual({
      Memory: 64 * 1024 ** 2,
      MemorySwap: 128 * 1024 ** 2,
      NanoCpus: 1_500_000_000,
      RestartPolicy: { Name: "" },
    });
    expect(updateBody(parse({ id: "web", memory: "1g", memorySwap: "-1" }))).toEqual({ Memory: 1024 ** 3, MemorySwap: -1 });
    expect(updateBody(parse({ id: "web", restartPolicy: { name: "on-failure", maximumRetryCount: 2 } }))).toEqual({
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 2 },
    });
  });
  it("names the bad field", () => {
    const r = methods["containers.update"].safeParse({ id: "web", cpus: "lots" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["cpus"]);
  });
});

describe("recreate's create body", () => {
  const info = {
    Id: "0123456789abcdef0123",
    Name: "/web",
    Created: "",
    Image: "sha256:x",
    State: { Status: "running", Running: true, Paused: false, Restarting: false, ExitCode: 0, StartedAt: "", FinishedAt: "" },
    Config: { Hostname: "0123456789ab", Image: "nginx", Env: ["A=1"] },
    HostConfig: { NetworkMode: "backend", Binds: ["named:/named"] },
    Mounts: [
      { Type: "volume", Name: "named", Source: "", Destination: "/named", RW: true },
      { Type: "volume", Name: "f00ba4", Source: "", Destination: "/data", RW: true },
    ],
    NetworkSettings: {
      Networks: {
        backend: { IPAMConfig: { IPv4Address: "10.1.0.5" }, Aliases: ["db", "0123456789ab"] },
        frontend: { IPAMConfig: null, Aliases: null },
      },
    },
  } as unknown as ContainerInspectJson;

  it("keeps config, static IP and aliases, drops the derived hostname and id alias, keeps anonymous volumes by name", () => {
    const { body, extraNetworks } = createBodyFromInspect(info);
    expect(body.Hostname).toBeUndefined();
    expect(body.Env).toEqual(["A=1"]);
    expect((body.HostConfig as { Binds: string[] }).Binds).toEqual(["named:/named", "f00ba4:/data"]);
    expect(body.NetworkingConfig).toEqual({ EndpointsConfig: { backend: { IPAMConfig: { IPv4Address: "10.1.0.5" }, Aliases: ["db"] } } });
    expect(extraNetworks).toEqual([["frontend", {}]]);
  });
});
