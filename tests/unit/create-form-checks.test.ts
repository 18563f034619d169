import { describe, expect, it } from "vitest";
import { heldPortErrors, subnetError } from "../../app/_features/containers/create/engine-checks";
import type { ContainerSummary } from "../../runtime/protocol/index";

const running = (name: string, ports: ContainerSummary["ports"], state = "running"): ContainerSummary => ({
  id: `${name}-id`, name, image: "nginx", imageId: "sha256:x", command: "", created: 0, state, status: "", ports, networks: [], labels: {},
});

describe("the create form's engine checks, made before Docker is called", () => {
  const networks = [{ name: "appnet", driver: "bridge", subnets: ["10.231.220.0/24"] }];

  it("an IP outside the chosen network's subnet names the field", () => {
    expect(subnetError({ image: "busybox", network: "appnet", ip: "10.231.221.5" }, networks)).toEqual({
      field: "ip",
      message: "ip: 10.231.221.5 is outside network appnet's subnet 10.231.220.0/24",
    });
    expect(subnetError({ image: "busybox", network: "appnet", ip: "10.231.220.5" }, networks)).toBeUndefined();
    // A network the form does not know: the runtime checks it.
    expect(subnetError({ image: "busybox", network: "other", ip: "1.2.3.4" }, networks)).toBeUndefined();
  });

  it("a host port a running container publishes, on the same or any interface", () => {
    const list = [running("web", [{ ip: "0.0.0.0", privatePort: 80, publicPort: 8080, type: "tcp" }]), running("old", [{ privatePort: 80, publicPort: 9090, type: "tcp" }], "exited")];
    const errors = heldPortErrors({ image: "nginx", ports: [{ containerPort: 80, hostPort: 9090 }, { hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80 }] }, list);
    expect(errors).toEqual([{ field: "ports[1].hostPort", message: "ports[1].hostPort: host port 8080/tcp is already allocated by container web" }]);
    expect(heldPortErrors({ image: "nginx", ports: [{ hostPort: 8080, containerPort: 53, protocol: "udp" }] }, list)).toEqual([]);
    // A host range for one container port: the engine picks a free port of it.
    expect(heldPortErrors({ image: "nginx", ports: [{ hostPort: 8080, hostPortEnd: 8090, containerPort: 80 }] }, list)).toEqual([]);
  });
});
