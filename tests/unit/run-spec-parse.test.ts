import { describe, expect, test } from "vitest";
import { flagDefs, parseDockerRun } from "../../runtime/run-spec";

/** `docker run --help` of docker CLI 28.2 (the flags and their shorthands), to prove none is missed. */
const HELP_FLAGS = `--add-host --annotation -a, --attach --blkio-weight --blkio-weight-device --cap-add --cap-drop
--cgroup-parent --cgroupns --cidfile --cpu-count --cpu-percent --cpu-period --cpu-quota --cpu-rt-period
--cpu-rt-runtime -c, --cpu-shares --cpus --cpuset-cpus --cpuset-mems -d, --detach --detach-keys --device
--device-cgroup-rule --device-read-bps --device-read-iops --device-write-bps --device-write-iops
--disable-content-trust --dns --dns-option --dns-search --domainname --entrypoint -e, --env --env-file --expose
--gpus --group-add --health-cmd --health-interval --health-retries --health-start-interval --health-start-period
--health-timeout --help -h, --hostname --init -i, --interactive --io-maxbandwidth --io-maxiops --ip --ip6 --ipc
--isolation --kernel-memory -l, --label --label-file --link --link-local-ip --log-driver --log-opt --mac-address
-m, --memory --memory-reservation --memory-swap --memory-swappiness --mount --name --network --network-alias
--no-healthcheck --oom-kill-disable --oom-score-adj --pid --pids-limit --platform --privileged -p, --publish
-P, --publish-all --pull -q, --quiet --read-only --restart --rm --runtime --security-opt --shm-size --sig-proxy
--stop-signal --stop-timeout --storage-opt --sysctl --tmpfs -t, --tty --ulimit --use-api-socket -u, --user
--userns --uts -v, --volume --volume-driver --volumes-from -w, --workdir`;

const ok = (text: string) => {
  const r = parseDockerRun(text);
  expect(r.errors).toEqual([]);
  return r;
};

describe("parseDockerRun: reading the command line", () => {
  test("every flag of docker run --help is known, with its shorthand", () => {
    const byLong = new Map(flagDefs.map((d) => [d.long, d]));
    for (const m of HELP_FLAGS.matchAll(/(?:-(\w), )?--([a-z0-9-]+)/g)) {
      const def = byLong.get(m[2]);
      expect(def, `--${m[2]}`).toBeDefined();
      expect(def?.short, `shorthand of --${m[2]}`).toBe(m[1]);
    }
    // and the hidden spellings the CLI still accepts
    expect(ok("docker run --net appnet --net-alias x --dns-opt ndots:1 busybox").spec).toMatchObject({
      network: "appnet",
      networkAliases: ["x"],
      dnsOptions: ["ndots:1"],
    });
  });

  test("docker run, docker container run, docker create, or just the flags", () => {
    expect(ok("docker run nginx").subcommand).toBe("run");
    expect(ok("docker container run -d nginx").spec).toEqual({ detach: true, image: "nginx" });
    expect(ok("docker container create nginx").subcommand).toBe("create");
    expect(ok("docker create -it busybox").spec).toEqual({ interactive: true, tty: true, image: "busybox" });
    expect(ok("-p 80:80 nginx").spec.ports).toEqual([{ hostPort: 80, containerPort: 80 }]);
    expect(parseDockerRun("docker exec -it web sh").errors[0].message).toMatch(/only "docker run" and "docker create"/);
    expect(parseDockerRun("docker create -d nginx").errors[0].field).toBe("detach");
  });

  test("quotes, escapes and backslash-newline continuations", () => {
    const r = ok(`docker run -d \\
      --name web \\
      -e "GREETING=hello world" -e 'SINGLE=a "b" c' -e ESC=a\\ b \\
      --health-cmd="curl -f http://localhost/ || exit 1" \\
      nginx sh -c 'echo $HOME; exit 0'`);
    expect(r.spec).toEqual({
      detach: true,
      name: "web",
      env: ["GREETING=hello world", 'SINGLE=a "b" c', "ESC=a b"],
      healthcheck: { cmd: "curl -f http://localhost/ || exit 1" },
      image: "nginx",
      command: ["sh", "-c", "echo $HOME; exit 0"],
    });
    // CRLF line ends (pasted from Windows) and a quoted newline stay right
    expect(ok('docker run \\\r\n  -e "A=line1\nline2" busybox').spec.env).toEqual(["A=line1\nline2"]);
  });

  test("combined short flags, with a value in the same word or the next", () => {
    expect(ok("docker run -itd busybox").spec).toEqual({ interactive: true, tty: true, detach: true, image: "busybox" });
    expect(ok("docker run -dp 8080:80 nginx").spec).toEqual({ detach: true, ports: [{ hostPort: 8080, containerPort: 80 }], image: "nginx" });
    expect(ok("docker run -p8080:80 -eA=1 -e=B=2 -v/data nginx").spec).toMatchObject({
      ports: [{ hostPort: 8080, containerPort: 80 }],
      env: ["A=1", "B=2"],
      volumes: [{ target: "/data" }],
    });
    expect(ok("docker run -it=false -m=512m busybox").spec).toEqual({ interactive: true, memory: "512m", image: "busybox" });
  });

  test("--flag=value and --flag value, booleans with =true/=false", () => {
    expect(ok("docker run --name=web --restart=on-failure:3 --rm=false --init=false --privileged=true nginx").spec).toEqual({
      name: "web",
      restart: "on-failure",
      restartMaxRetries: 3,
      init: false,
      privileged: true,
      image: "nginx",
    });
    // a boolean never takes the next word: here "false" is the image
    expect(ok("docker run --rm false").spec).toEqual({ autoRemove: true, image: "false" });
    expect(parseDockerRun("docker run --rm=maybe nginx").errors[0].message).toMatch(/--rm.*true or false/);
  });

  test("everything after the image is the command; -- ends the flags", () => {
    expect(ok("docker run busybox ls -la /tmp --color").spec.command).toEqual(["ls", "-la", "/tmp", "--color"]);
    expect(ok("docker run -d -- busybox -x").spec).toEqual({ detach: true, image: "busybox", command: ["-x"] });
    expect(ok("docker run --entrypoint /bin/sh busybox -c 'echo hi'").spec).toMatchObject({ entrypoint: ["/bin/sh"], command: ["-c", "echo hi"] });
    expect(ok('docker run --entrypoint "" busybox').spec.entrypoint).toEqual([""]);
    // a value flag takes the next word even when it looks like a flag (pflag does)
    expect(ok("docker run -e -x busybox").spec.env).toEqual(["-x"]);
  });

  test("flags RunSpec cannot hold are listed, never dropped; CLI-only flags are listed apart", () => {
    const r = parseDockerRun(
      "docker run --storage-opt size=1G -a stdout --env-file ./x.env --cpu-rt-runtime 950000 --sig-proxy=false --cidfile /tmp/id -q --detach-keys ctrl-x nginx",
    );
    expect(r.unknownFlags).toEqual(["--storage-opt", "--attach", "--env-file", "--cpu-rt-runtime"]);
    expect(r.ignoredFlags).toEqual(["--sig-proxy", "--cidfile", "--quiet", "--detach-keys"]);
    expect(r.spec).toEqual({ image: "nginx" });
    expect(r.warnings.map((w) => w.field)).toContain("storage-opt");
    // flags docker itself does not know are errors too
    const bad = parseDockerRun("docker run --frobnicate -Z nginx");
    expect(bad.unknownFlags).toEqual(["--frobnicate", "-Z"]);
    expect(bad.errors.map((e) => e.message)).toEqual([
      "input: unknown flag: --frobnicate (docker run would refuse it)",
      "input: unknown flag: -Z (docker run would refuse it)",
    ]);
  });

  test("shell features Berth cannot reproduce are reported", () => {
    const vars = parseDockerRun("docker run -e HOME_DIR=$HOME -e \"P=${PWD}/x\" -v $(pwd):/src nginx");
    expect(vars.spec.env).toEqual(["HOME_DIR=${HOME}", "P=${PWD}/x"]);
    expect(vars.errors.map((e) => e.field)).toEqual(expect.arrayContaining(["env", "input"]));
    expect(vars.errors.find((e) => e.field === "env")?.message).toMatch(/"\$HOME" is a shell variable/);
    expect(vars.errors.some((e) => /"\(" is not part of docker run/.test(e.message))).toBe(true);

    const ops = parseDockerRun("docker run -d nginx && docker logs -f web | grep error");
    expect(ops.spec).toEqual({ detach: true, image: "nginx" });
    expect(ops.errors[0].message).toMatch(/"&&" is not part of docker run; this was not read: && docker logs -f web \| grep error/);

    const glob = parseDockerRun("docker run busybox ls /tmp/*.log");
    expect(glob.spec.command).toEqual(["ls", "/tmp/*.log"]);
    expect(glob.warnings[0]).toMatchObject({ field: "command[1]" });

    const two = parseDockerRun("docker run -d nginx\ndocker run -d redis");
    expect(two.spec.image).toBe("nginx");
    expect(two.errors[0].message).toMatch(/only one command.*docker run -d redis/);

    const extras = parseDockerRun("# start the web server\n$ sudo docker run -d nginx # the web\n");
    expect(extras.errors).toEqual([]);
    expect(extras.spec).toEqual({ detach: true, image: "nginx" });
    expect(extras.warnings).toHaveLength(3);
  });

  test("docker's global flags are left out with a warning", () => {
    const r = parseDockerRun("docker -H tcp://x:2375 --debug run nginx");
    expect(r.errors).toEqual([]);
    expect(r.ignoredFlags).toEqual(["-H", "--debug"]);
    expect(r.spec.image).toBe("nginx");
  });

  test("value syntaxes", () => {
    const r = ok(`docker run
      -p 127.0.0.1:8080-8081:80-81/udp -p [::1]:9000:9000 -p 53 -p published=8443,target=443
      -v named:/named:ro -v /host:/c:Z,rslave -v /anon
      --mount type=bind,src=/tmp,dst=/b,ro=true --mount "type=volume,\\"volume-opt=o=a,b\\",dst=/v"
      --tmpfs /run:size=64m --volumes-from src:ro --link db:database --add-host h=::1
      --ulimit nofile=1024:2048 --ulimit nproc=10:10 --device /dev/fuse:rw --gpus all --restart unless-stopped
      --network name=appnet,alias=web,ip=10.231.200.5 -l flag -l k=v=w --sysctl net.core.somaxconn=1024
      busybox`.replace(/\n/g, " "));
    expect(r.spec).toMatchObject({
      ports: [
        { hostIp: "127.0.0.1", hostPort: 8080, hostPortEnd: 8081, containerPort: 80, containerPortEnd: 81, protocol: "udp" },
        { hostIp: "::1", hostPort: 9000, containerPort: 9000 },
        { containerPort: 53 },
        { hostPort: 8443, containerPort: 443 },
      ],
      volumes: [
        { source: "named", target: "/named", mode: "ro" },
        { source: "/host", target: "/c", selinuxLabel: "Z", propagation: "rslave" },
        { target: "/anon" },
      ],
      mounts: [
        { type: "bind", source: "/tmp", target: "/b", readOnly: true },
        { type: "volume", volumeOpts: { o: "a,b" }, target: "/v" },
      ],
      tmpfs: [{ target: "/run", options: "size=64m" }],
      volumesFrom: [{ container: "src", mode: "ro" }],
      links: [{ container: "db", alias: "database" }],
      addHosts: [{ host: "h", ip: "::1" }],
      ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }, { name: "nproc", soft: 10 }],
      devices: [{ pathOnHost: "/dev/fuse", cgroupPermissions: "rw" }],
      gpus: { count: "all" },
      restart: "unless-stopped",
      network: "appnet",
      networkAliases: ["web"],
      ip: "10.231.200.5",
      labels: { flag: "", k: "v=w" },
      sysctls: { "net.core.somaxconn": "1024" },
    });
  });

  test("syntax errors name the field and the entry", () => {
    const r = parseDockerRun("docker run -p 80:abc -v a:b:c:d --restart sometimes --ulimit bogus=1 --mount type=image,dst=/x --cpus x busybox");
    expect(r.errors.map((e) => e.field)).toEqual(["ports[0]", "volumes[0]", "restart", "ulimits[0]", "mounts[0]", "cpus"]);
    expect(r.errors[2].message).toBe('restart: invalid restart policy "sometimes": use no, always, unless-stopped or on-failure[:max-retries]');
    expect(parseDockerRun("docker run --name").errors.map((e) => e.message)).toEqual(["name: flag needs an argument: --name", "image: is required: docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"]);
  });

  test("the spec is validated too: range and cross-field errors come back with the parse", () => {
    const r = parseDockerRun("docker run -p 99999:80 -m 12x --rm --restart always nginx");
    expect(r.errors.map((e) => e.message)).toEqual([
      "ports[0].hostPort: must be between 1 and 65535 (or 0 for any free port)",
      'memory: invalid size "12x": use bytes or a number with a unit b, k, m, g (e.g. 512m)',
      "autoRemove: cannot be combined with a restart policy (docker refuses --rm with --restart)",
    ]);
  });

  test("-e KEY without a value is kept as Docker keeps it, with a warning", () => {
    const r = ok("docker run -e TOKEN -e A=1 busybox");
    expect(r.spec.env).toEqual(["TOKEN", "A=1"]);
    expect(r.warnings[0]).toMatchObject({ field: "env[0]" });
  });
});
