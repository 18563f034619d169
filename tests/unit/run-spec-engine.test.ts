/**
 * toCreateRequest against bodies the docker CLI 28 really sent (captured from a fake
 * engine on a unix socket with DOCKER_HOST=unix://…, API 1.41), and specFromInspect
 * leaving out what the image and the engine supply.
 */
import { describe, expect, test } from "vitest";
import { parseDockerRun, specFromInspect, toCreateRequest, type ContainerInspect, type RunSpec } from "../../runtime/run-spec";
import type { EngineEndpointSettings } from "../../runtime/run-spec/engine-types";

const body = (command: string) => {
  const r = parseDockerRun(command);
  expect(r.errors).toEqual([]);
  return toCreateRequest(r.spec).body;
};

const endpoint = {
  IPAMConfig: null, Links: null, Aliases: null, MacAddress: "", DriverOpts: null, GwPriority: 0, NetworkID: "", EndpointID: "",
  Gateway: "", IPAddress: "", IPPrefixLen: 0, IPv6Gateway: "", GlobalIPv6Address: "", GlobalIPv6PrefixLen: 0, DNSNames: null,
};

/** `docker create busybox`, as docker CLI 28.2 sends it to an API 1.41 engine. */
const cliCreateBusybox = {
  Hostname: "", Domainname: "", User: "", AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false, OpenStdin: false,
  StdinOnce: false, Env: null, Cmd: null, Image: "busybox", Volumes: {}, WorkingDir: "", Entrypoint: null, OnBuild: null, Labels: {},
  HostConfig: {
    Binds: null, ContainerIDFile: "", LogConfig: { Type: "", Config: {} }, NetworkMode: "default", PortBindings: {},
    RestartPolicy: { Name: "no", MaximumRetryCount: 0 }, AutoRemove: false, VolumeDriver: "", VolumesFrom: null, ConsoleSize: [0, 0],
    CapAdd: null, CapDrop: null, CgroupnsMode: "", Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null, GroupAdd: null, IpcMode: "",
    Cgroup: "", Links: null, OomScoreAdj: 0, PidMode: "", Privileged: false, PublishAllPorts: false, ReadonlyRootfs: false, SecurityOpt: null,
    UTSMode: "", UsernsMode: "", ShmSize: 0, Isolation: "", CpuShares: 0, Memory: 0, NanoCpus: 0, CgroupParent: "", BlkioWeight: 0,
    BlkioWeightDevice: [], BlkioDeviceReadBps: [], BlkioDeviceWriteBps: [], BlkioDeviceReadIOps: [], BlkioDeviceWriteIOps: [], CpuPeriod: 0,
    CpuQuota: 0, CpuRealtimePeriod: 0, CpuRealtimeRuntime: 0, CpusetCpus: "", CpusetMems: "", Devices: [], DeviceCgroupRules: null,
    DeviceRequests: null, MemoryReservation: 0, MemorySwap: 0, MemorySwappiness: -1, OomKillDisable: false, PidsLimit: 0, Ulimits: [],
    CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0, IOMaximumBandwidth: 0, MaskedPaths: null, ReadonlyPaths: null,
  },
  NetworkingConfig: { EndpointsConfig: { default: endpoint } },
};

describe("toCreateRequest: the CLI's request for the same flags", () => {
  test("no flags: every zero value the CLI sends", () => {
    expect(toCreateRequest({ image: "busybox" })).toEqual({ body: cliCreateBusybox });
    expect(toCreateRequest({ image: "busybox", name: "web", platform: "linux/amd64" })).toMatchObject({ name: "web", platform: "linux/amd64" });
  });

  test("-i, -t, -d, --rm", () => {
    expect(body("docker create -it busybox")).toMatchObject({ AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, OpenStdin: true, StdinOnce: true });
    expect(body("docker run -itd --rm busybox")).toMatchObject({
      AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: true, OpenStdin: true, StdinOnce: false,
      HostConfig: { AutoRemove: true },
    });
  });

  test("-p and --expose → ExposedPorts + PortBindings", () => {
    const b = body("docker run -p 8080:80 -p 127.0.0.1:8080-8081:80-81/udp -p 9000 -p 1.2.3.4::53 -p 8000-8002:7000 -p [::1]:8082:80 --expose 7000-7001 --expose 6000/udp nginx");
    expect(b.ExposedPorts).toEqual({
      "80/tcp": {}, "80/udp": {}, "81/udp": {}, "9000/tcp": {}, "53/tcp": {}, "7000/tcp": {}, "7001/tcp": {}, "6000/udp": {},
    });
    expect(b.HostConfig.PortBindings).toEqual({
      "80/tcp": [{ HostIp: "", HostPort: "8080" }, { HostIp: "::1", HostPort: "8082" }],
      "80/udp": [{ HostIp: "127.0.0.1", HostPort: "8080" }],
      "81/udp": [{ HostIp: "127.0.0.1", HostPort: "8081" }],
      "9000/tcp": [{ HostIp: "", HostPort: "" }],
      "53/tcp": [{ HostIp: "1.2.3.4", HostPort: "" }],
      "7000/tcp": [{ HostIp: "", HostPort: "8000-8002" }],
    });
    expect(body("docker run -P nginx").HostConfig.PublishAllPorts).toBe(true);
  });

  test("-v → Binds or Config.Volumes; --mount → Mounts; --tmpfs → Tmpfs; --volumes-from", () => {
    const b = body(
      "docker run -v /data -v named:/named:ro -v /tmp:/hosttmp:rw,rslave -v hz:/z:z,nocopy --tmpfs /run:rw,noexec,nosuid,size=65536k --tmpfs /t2 --volumes-from other:ro --volumes-from x busybox",
    );
    expect(b.Volumes).toEqual({ "/data": {} });
    expect(b.HostConfig.Binds).toEqual(["named:/named:ro", "/tmp:/hosttmp:rw,rslave", "hz:/z:z,nocopy"]);
    expect(b.HostConfig.Tmpfs).toEqual({ "/run": "rw,noexec,nosuid,size=65536k", "/t2": "" });
    expect(b.HostConfig.VolumesFrom).toEqual(["other:ro", "x"]);
    expect(
      body(
        "docker run --mount type=volume,source=mv,target=/mv,volume-nocopy --mount type=bind,src=/tmp,dst=/b,readonly,bind-propagation=rshared " +
          "--mount type=tmpfs,dst=/tm,tmpfs-size=1024,tmpfs-mode=1770 --mount type=volume,dst=/anon " +
          "--mount type=volume,src=xx,dst=/y,volume-driver=local,volume-opt=type=tmpfs,volume-label=a=b --mount type=volume,src=ll,dst=/l,volume-label=a=b busybox",
      ).HostConfig.Mounts,
    ).toEqual([
      { Type: "volume", Source: "mv", Target: "/mv", VolumeOptions: { NoCopy: true, DriverConfig: {} } },
      { Type: "bind", Source: "/tmp", Target: "/b", ReadOnly: true, BindOptions: { Propagation: "rshared" } },
      { Type: "tmpfs", Target: "/tm", TmpfsOptions: { SizeBytes: 1024, Mode: 0o1770 } },
      { Type: "volume", Target: "/anon" },
      { Type: "volume", Source: "xx", Target: "/y", VolumeOptions: { Labels: { a: "b" }, DriverConfig: { Name: "local", Options: { type: "tmpfs" } } } },
      { Type: "volume", Source: "ll", Target: "/l", VolumeOptions: { Labels: { a: "b" }, DriverConfig: {} } },
    ]);
  });

  test("resources in bytes and nano-CPUs", () => {
    const h = body(
      "docker run -m 1.5g --memory-reservation 1.5MiB --memory-swap -1 --cpus 0.5 -c 512 --cpuset-cpus 0-1 --pids-limit -1 --shm-size 64m --memory-swappiness 50 --oom-kill-disable --oom-score-adj 10 busybox",
    ).HostConfig;
    expect(h).toMatchObject({
      Memory: 1610612736, MemoryReservation: 1572864, MemorySwap: -1, NanoCpus: 500000000, CpuShares: 512, CpusetCpus: "0-1",
      PidsLimit: -1, ShmSize: 67108864, MemorySwappiness: 50, OomKillDisable: true, OomScoreAdj: 10,
    });
    // below Docker's 6m minimum: validation says so, but the conversion itself is the CLI's
    expect(toCreateRequest(parseDockerRun("docker run -m 10kb --cpus 0.000000001 busybox").spec).body.HostConfig).toMatchObject({ Memory: 10240, NanoCpus: 1 });
    expect(body("docker run --ulimit nproc=1 --ulimit core=-1 --ulimit nofile=1024:2048 --ulimit nproc=5 busybox").HostConfig.Ulimits).toEqual([
      { Name: "core", Hard: -1, Soft: -1 },
      { Name: "nofile", Hard: 2048, Soft: 1024 },
      { Name: "nproc", Hard: 5, Soft: 5 },
    ]);
    expect(body("docker run --device /dev/fuse --device /dev/null:/dev/nul2:r busybox").HostConfig.Devices).toEqual([
      { PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" },
      { PathOnHost: "/dev/null", PathInContainer: "/dev/nul2", CgroupPermissions: "r" },
    ]);
  });

  test("--gpus → DeviceRequests", () => {
    const req = (flag: string) => body(`docker run --gpus ${flag} busybox`).HostConfig.DeviceRequests;
    expect(req("all")).toEqual([{ Driver: "", Count: -1, DeviceIDs: null, Capabilities: [["gpu"]], Options: {} }]);
    expect(req("2")).toEqual([{ Driver: "", Count: 2, DeviceIDs: null, Capabilities: [["gpu"]], Options: {} }]);
    expect(req(`'"capabilities=compute,utility",count=2'`)).toEqual([{ Driver: "", Count: 2, DeviceIDs: null, Capabilities: [["compute", "utility", "gpu"]], Options: {} }]);
    expect(req(`'"device=0,1"'`)).toEqual([{ Driver: "", Count: 0, DeviceIDs: ["0", "1"], Capabilities: [["gpu"]], Options: {} }]);
  });

  test("restart, healthcheck in nanoseconds, stop signal and timeout, init", () => {
    expect(body("docker run --restart on-failure:3 busybox").HostConfig.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 3 });
    expect(body("docker run --restart unless-stopped busybox").HostConfig.RestartPolicy).toEqual({ Name: "unless-stopped", MaximumRetryCount: 0 });
    expect(
      body(`docker run --health-cmd "curl -f http://localhost/ || exit 1" --health-interval 30s --health-timeout 500ms --health-retries 3 --health-start-period 1m busybox`).Healthcheck,
    ).toEqual({ Test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], Interval: 30e9, Timeout: 500e6, StartPeriod: 60e9, Retries: 3 });
    expect(body("docker run --health-interval 1m30s busybox").Healthcheck).toEqual({ Interval: 90e9 });
    expect(body("docker run --no-healthcheck busybox").Healthcheck).toEqual({ Test: ["NONE"] });
    expect(body("docker run --health-retries 0 busybox").Healthcheck).toBeUndefined();
    expect(body("docker run --stop-signal SIGINT --stop-timeout 0 --init=false busybox")).toMatchObject({ StopSignal: "SIGINT", StopTimeout: 0, HostConfig: { Init: false } });
  });

  test("network: NetworkMode, EndpointsConfig, links", () => {
    const b = body("docker run --network mynet --ip 10.231.200.5 --ip6 2001:db8::5 --network-alias a1 --link other:alias busybox");
    expect(b.HostConfig).toMatchObject({ NetworkMode: "mynet", Links: ["other:alias"] });
    expect(b.NetworkingConfig.EndpointsConfig).toEqual({
      mynet: { ...endpoint, IPAMConfig: { IPv4Address: "10.231.200.5", IPv6Address: "2001:db8::5" }, Links: ["other:alias"], Aliases: ["a1"] },
    });
    for (const mode of ["host", "none", "bridge", "container:foo", "mynet"])
      expect(body(`docker run --network ${mode} busybox`).NetworkingConfig.EndpointsConfig, mode).toEqual({});
    expect(body("docker run --link other busybox")).toMatchObject({
      HostConfig: { Links: ["other"], NetworkMode: "default" },
      NetworkingConfig: { EndpointsConfig: { default: endpoint } },
    });
    expect(body("docker run --dns 1.1.1.1 --dns-search . --dns-opt a --add-host h:1.2.3.4 --add-host other=::1 busybox").HostConfig).toMatchObject({
      Dns: ["1.1.1.1"], DnsSearch: ["."], DnsOptions: ["a"], ExtraHosts: ["h:1.2.3.4", "other:::1"],
    });
    // API < 1.44 takes the MAC address in Config (docker CLI 28 refuses the flag against such engines)
    expect(body("docker run --mac-address 92:d0:c6:0a:29:33 busybox").MacAddress).toBe("92:d0:c6:0a:29:33");
  });

  test("security: capabilities normalised, systempaths=unconfined, sysctls, namespaces", () => {
    const h = body(
      "docker run --cap-add sys_admin --cap-add CAP_NET_RAW --cap-add sys_admin --cap-drop ALL --security-opt seccomp=unconfined --security-opt systempaths=unconfined " +
        "--sysctl net.core.somaxconn=1024 --pid host --ipc shareable --uts host --cgroupns private --group-add audio --runtime runc --privileged --read-only busybox",
    ).HostConfig;
    expect(h).toMatchObject({
      CapAdd: ["CAP_NET_RAW", "CAP_SYS_ADMIN"], CapDrop: ["ALL"], SecurityOpt: ["seccomp=unconfined"], MaskedPaths: [], ReadonlyPaths: [],
      Sysctls: { "net.core.somaxconn": "1024" }, PidMode: "host", IpcMode: "shareable", UTSMode: "host", CgroupnsMode: "private",
      GroupAdd: ["audio"], Runtime: "runc", Privileged: true, ReadonlyRootfs: true,
    });
  });

  test("env, labels, logging, command and entrypoint", () => {
    expect(body("docker run -e A=1 -e A=2 -e B -e 'C=with space' busybox").Env).toEqual(["A=2", "B", "C=with space"]);
    expect(body("docker run -l a=b -l a=c -l 'x=y z' -l flag busybox").Labels).toEqual({ a: "c", x: "y z", flag: "" });
    expect(body("docker run --log-driver syslog --log-opt tag={{.Name}} busybox").HostConfig.LogConfig).toEqual({ Type: "syslog", Config: { tag: "{{.Name}}" } });
    expect(body("docker run --entrypoint '' busybox sh -c 'echo hi'")).toMatchObject({ Entrypoint: [""], Cmd: ["sh", "-c", "echo hi"] });
  });
});

describe("specFromInspect: only what the user chose", () => {
  const image = {
    Config: {
      Env: ["PATH=/usr/bin:/bin", "NGINX_VERSION=1.22"], Cmd: ["nginx", "-g", "daemon off;"], ExposedPorts: { "80/tcp": {} },
      WorkingDir: "/srv", Labels: { maintainer: "x" }, Volumes: { "/var/cache": {} }, StopSignal: "SIGQUIT",
      Healthcheck: { Test: ["CMD", "true"], Interval: 10e9 },
    },
  };
  const id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const inspect = (config: object, host: object, networks: Record<string, EngineEndpointSettings> = {}): ContainerInspect => ({
    Id: id,
    Name: "/web",
    Config: { ...image.Config, Hostname: "0123456789ab", Image: "nginx", AttachStdout: true, AttachStderr: true, ...config },
    HostConfig: {
      NetworkMode: "default", LogConfig: { Type: "json-file", Config: {} }, RestartPolicy: { Name: "no", MaximumRetryCount: 0 }, ShmSize: 67108864,
      IpcMode: "private", CgroupnsMode: "host", Runtime: "runc", MemorySwappiness: null, PidsLimit: null, Dns: [], DnsSearch: [], DnsOptions: [],
      MaskedPaths: ["/proc/kcore"], ReadonlyPaths: ["/proc/sys"], PortBindings: {}, Ulimits: null, ...host,
    },
    NetworkSettings: { Networks: networks },
  });
  const engine = { cgroupnsMode: "host" as const, hostname: "vm" };

  test("a container made of the image's defaults is just the image", () => {
    expect(specFromInspect(inspect({}, {}), image, engine)).toEqual({ image: "nginx", name: "web" });
  });

  test("what differs from the image and the engine is kept", () => {
    const spec = specFromInspect(
      inspect(
        {
          Env: ["A=1", ...image.Config.Env], Cmd: ["nginx", "-T"], WorkingDir: "/app", Labels: { maintainer: "x", team: "web" },
          ExposedPorts: { "80/tcp": {}, "8080/tcp": {}, "9000/udp": {} }, Volumes: { "/var/cache": {}, "/data": {} }, Hostname: "web01",
          AttachStdout: false, AttachStderr: false, OpenStdin: true, Tty: true, Healthcheck: { Test: ["CMD", "true"], Interval: 30e9, Retries: 3 },
        },
        {
          PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }] }, Binds: ["vol:/v:ro"], Memory: 536870912, MemorySwap: 1073741824,
          NanoCpus: 1500000000, RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 }, CapAdd: ["CAP_NET_ADMIN"], Privileged: true,
          SecurityOpt: ["label=disable"], MaskedPaths: null, ReadonlyPaths: null, NetworkMode: "appnet", Init: true,
          Mounts: [{ Type: "volume", Source: "m", Target: "/m", VolumeOptions: { DriverConfig: {} } }],
        },
        { appnet: { IPAMConfig: { IPv4Address: "10.231.200.5" }, Aliases: ["db", "0123456789ab"], Links: ["other:o"] } },
      ),
      image,
      engine,
    );
    expect(spec).toEqual<RunSpec>({
      image: "nginx", name: "web", command: ["nginx", "-T"], workingDir: "/app", interactive: true, tty: true, detach: true, init: true,
      labels: { team: "web" }, env: ["A=1"], hostname: "web01", ports: [{ hostIp: "127.0.0.1", hostPort: 8080, containerPort: 8080 }],
      expose: ["9000/udp"], volumes: [{ source: "vol", target: "/v", mode: "ro" }, { target: "/data" }],
      mounts: [{ type: "volume", source: "m", target: "/m", volumeNoCopy: false }], network: "appnet", ip: "10.231.200.5",
      networkAliases: ["db"], links: [{ container: "other", alias: "o" }], restart: "on-failure", restartMaxRetries: 3, memory: "512m",
      cpus: 1.5, privileged: true, capAdd: ["NET_ADMIN"], healthcheck: { interval: "30s", retries: 3 },
    });
  });

  test("entrypoint and command: the image's CMD is not inherited once an entrypoint is given", () => {
    expect(specFromInspect(inspect({ Entrypoint: ["/bin/sh"], Cmd: ["-c", "x"] }, {}), image)).toMatchObject({ entrypoint: ["/bin/sh"], command: ["-c", "x"] });
    expect(specFromInspect(inspect({ Entrypoint: ["/bin/sh"], Cmd: null }, {}), image)).toMatchObject({ entrypoint: ["/bin/sh"] });
    expect(specFromInspect(inspect({ Entrypoint: ["/bin/sh"], Cmd: null }, {}), image).command).toBeUndefined();
  });

  test("host network, legacy links, container: modes by name", () => {
    expect(specFromInspect(inspect({ Hostname: "vm" }, { NetworkMode: "host" }), image, engine)).toEqual({ image: "nginx", name: "web", network: "host" });
    expect(specFromInspect(inspect({}, { Links: ["/db:/web/database", "/cache:/web/cache"] }), image, engine).links).toEqual([
      { container: "db", alias: "database" },
      { container: "cache" },
    ]);
    const other = "f".repeat(64);
    expect(
      specFromInspect(inspect({}, { NetworkMode: `container:${other}` }), image, { containerName: (cid) => (cid === other ? "/db" : undefined) }).network,
    ).toBe("container:db");
  });
});
