/**
 * `docker run` commands people actually type or copy from Docker's docs, one per
 * RunSpec group, for the run-spec library's tests: the integration test creates
 * each through Berth and through the docker CLI on the private engine and compares
 * the containers. Images: busybox, nginx, redis only (the harness's fixtures).
 *
 * Names: the tests give every container their own name (`--name` here is replaced);
 * objects the commands refer to (networks, source containers, volumes) start with
 * `rc-` and are created in `setup`, removed in `teardown` and in the test's afterAll.
 */

/** A user-defined network inside 10.231.0.0/16, for `--ip` (the harness's pool is 10.231.128.0/17). */
export const CORPUS_NETWORK = "rc-net";
export const CORPUS_SUBNET = "10.231.200.0/24";

export interface CorpusEntry {
  /** Short unique id, used in container names. */
  id: string;
  /** The command as a user would paste it. */
  command: string;
  /** docker CLI argument lists to run before (e.g. create a network or a source container). */
  setup?: string[][];
  /** docker CLI argument lists to run after (best effort). */
  teardown?: string[][];
}

const network = (name = CORPUS_NETWORK, subnet = CORPUS_SUBNET): string[][] => [["network", "create", "--subnet", subnet, name]];
const source = (name: string, ...flags: string[]): string[][] => [["create", "--name", name, ...flags, "busybox"]];

export const runCorpus: CorpusEntry[] = [
  // base
  { id: "nginx-port", command: "docker run -d --name web -p 127.0.0.1:8080:80 nginx" },
  { id: "itd", command: "docker run -itd busybox" },
  { id: "it-rm", command: "docker run -it --rm busybox sh" },
  { id: "create", command: "docker create -t -i busybox sh" },
  { id: "container-run", command: "docker container run --detach --interactive --tty busybox" },
  { id: "rm-d", command: "docker run --rm -d busybox echo hello" },
  { id: "entrypoint-args", command: "docker run -d --entrypoint /bin/sh busybox -c 'while true; do date; sleep 5; done'" },
  { id: "redis-args", command: "docker run -d --name some-redis redis redis-server --save 60 1 --loglevel warning" },
  { id: "user-workdir", command: "docker run -d -u 1000:1000 -w /tmp busybox pwd" },
  { id: "hostname", command: "docker run -d -h web01 --domainname example.internal nginx" },
  {
    id: "env-quotes",
    command: `docker run -d -e "GREETING=hello world" -e 'QUOTE=it'"'"'s "quoted"' -e EMPTY= -e NOT_SET_ANYWHERE --env=A=1 busybox env`,
  },
  { id: "labels", command: `docker run -d -l com.example.team=web --label "com.example.description=Front end" --label flag nginx` },
  { id: "init-stop", command: "docker run -d --init --stop-signal SIGQUIT --stop-timeout 30 nginx" },
  {
    id: "docs-multiline",
    command: `docker run -d \\
  --name my-nginx \\
  -p 127.0.0.1:8081:80 \\
  -v rc-html:/usr/share/nginx/html:ro \\
  --restart unless-stopped \\
  nginx`,
    teardown: [["volume", "rm", "-f", "rc-html"]],
  },
  // ports
  { id: "publish-all", command: "docker run -d -P nginx" },
  { id: "ports-many", command: "docker run -d -p 127.0.0.1:0:80 -p 127.0.0.1:18443:443/tcp -p 127.0.0.1::53/udp -p 127.0.0.1:18000-18002:8000 redis" },
  { id: "ports-range", command: "docker run -d -p 127.0.0.1:18080-18081:80-81 --expose 7000-7001 --expose 6000/udp nginx" },
  // storage
  { id: "named-volume", command: "docker run -d -v rc-data:/data redis", teardown: [["volume", "rm", "-f", "rc-data"]] },
  { id: "anonymous-volume", command: "docker run -d -v /cache -v /var/lib/app busybox" },
  { id: "ro-rw", command: "docker run -d -v rc-ro:/data:ro -v /tmp:/host-tmp:rw busybox", teardown: [["volume", "rm", "-f", "rc-ro"]] },
  { id: "bind-propagation", command: "docker run -d -v /srv:/shared:shared -v /tmp:/slave:rslave,ro busybox" },
  { id: "nocopy", command: "docker run -d -v rc-nocopy:/data:nocopy busybox", teardown: [["volume", "rm", "-f", "rc-nocopy"]] },
  {
    id: "volumes-from",
    command: "docker run -d --volumes-from rc-src-vf:ro busybox",
    setup: source("rc-src-vf", "-v", "/shared"),
    teardown: [["rm", "-f", "-v", "rc-src-vf"]],
  },
  { id: "tmpfs", command: "docker run -d --tmpfs /run:rw,noexec,nosuid,size=65536k --tmpfs /cache busybox" },
  {
    id: "mounts",
    command:
      "docker run -d --mount type=volume,source=rc-m,target=/m,volume-nocopy --mount type=bind,source=/tmp,target=/b,readonly --mount type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770 busybox",
    teardown: [["volume", "rm", "-f", "rc-m"]],
  },
  { id: "mount-docs", command: "docker run -d --mount source=rc-vol2,target=/app nginx", teardown: [["volume", "rm", "-f", "rc-vol2"]] },
  // network
  {
    id: "net-ip",
    command: `docker run -d --net ${CORPUS_NETWORK} --ip 10.231.200.10 --network-alias db --network-alias cache redis`,
    setup: network(),
    teardown: [["network", "rm", CORPUS_NETWORK]],
  },
  {
    id: "net-link",
    command: `docker run -d --network=${CORPUS_NETWORK}-2 --link rc-src-nl:backend nginx`,
    setup: [...network(`${CORPUS_NETWORK}-2`, "10.231.201.0/24"), ...source("rc-src-nl", "--network", `${CORPUS_NETWORK}-2`)],
    teardown: [["rm", "-f", "rc-src-nl"], ["network", "rm", `${CORPUS_NETWORK}-2`]],
  },
  {
    id: "legacy-link",
    command: "docker run -d --link rc-src-ll:source --link rc-src-ll busybox",
    setup: source("rc-src-ll"),
    teardown: [["rm", "-f", "rc-src-ll"]],
  },
  { id: "net-host", command: "docker run -d --net=host nginx" },
  { id: "net-none", command: "docker run -d --network none busybox" },
  { id: "net-bridge", command: "docker run -d --network bridge -p 127.0.0.1:18082:80 nginx" },
  {
    id: "net-container",
    command: "docker run -d --network container:rc-src-nc busybox",
    setup: source("rc-src-nc"),
    teardown: [["rm", "-f", "rc-src-nc"]],
  },
  { id: "dns", command: "docker run -d --dns 10.231.0.53 --dns 1.1.1.1 --dns-search example.internal --dns-option ndots:2 busybox" },
  { id: "add-host", command: "docker run -d --add-host db.local:10.231.200.20 --add-host other=10.231.200.21 --add-host gw:host-gateway busybox" },
  // restart
  { id: "restart-always", command: "docker run -d --restart=always redis" },
  { id: "restart-on-failure", command: "docker run -d --restart on-failure:5 busybox false" },
  // resources
  {
    id: "resources",
    command: "docker run -d -m 512m --memory-reservation 256m --memory-swap 1g --cpus 1.5 --cpu-shares 512 --cpuset-cpus 0 --pids-limit 100 --shm-size 128m nginx",
  },
  { id: "ulimits", command: "docker run -d --ulimit nofile=1024:2048 --ulimit nproc=512 --ulimit core=-1 busybox" },
  { id: "oom", command: "docker run -d --oom-kill-disable --oom-score-adj 100 -m 64m --memory-swappiness 10 busybox" },
  { id: "devices", command: "docker run -d --device /dev/fuse --device /dev/null:/dev/mynull:r --device-cgroup-rule 'c 1:3 mr' busybox" },
  { id: "gpus", command: `docker run -d --gpus '"device=0,1",capabilities=compute' --blkio-weight 300 busybox` },
  // security
  { id: "privileged", command: "docker run -d --privileged busybox" },
  { id: "caps", command: "docker run -d --cap-drop ALL --cap-add NET_BIND_SERVICE --cap-add chown nginx" },
  { id: "sysctls", command: "docker run -d --sysctl net.core.somaxconn=1024 --sysctl net.ipv4.tcp_syncookies=0 redis" },
  {
    id: "security-opt",
    command: "docker run -d --security-opt no-new-privileges --security-opt seccomp=unconfined --security-opt systempaths=unconfined --read-only --tmpfs /tmp nginx",
  },
  { id: "namespaces", command: "docker run -d --pid host --ipc shareable --uts host --cgroupns private --group-add audio --group-add 1234 busybox" },
  // logging
  { id: "log-opt", command: "docker run -d --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 nginx" },
  { id: "log-none", command: "docker run -d --log-driver none busybox" },
  // healthcheck
  {
    id: "healthcheck",
    command:
      "docker run -d --health-cmd 'wget -q -O /dev/null http://localhost/ || exit 1' --health-interval 30s --health-timeout 5s --health-retries 3 --health-start-period 1m30s nginx",
  },
  { id: "no-healthcheck", command: "docker run -d --no-healthcheck nginx" },
];
