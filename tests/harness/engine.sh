#!/usr/bin/env bash
# Berth real-Docker test harness: a PRIVATE dockerd + registry mirror + fixture
# images (busybox, nginx, redis built FROM scratch from the host's binaries;
# tomcat:9.0 and elasticsearch:7.6.2 are busybox-httpd stand-ins).
# The machine's default Docker engine (/var/run/docker.sock, /var/lib/docker,
# /etc/docker) is never used or modified. See tests/harness/README.md.
set -euo pipefail

PACKAGES=(docker.io docker-registry busybox-static chromium nginx-light redis-server
  redis-tools docker-compose apache2-utils)
# NAME:TAG pairs; each NAME is built from $BUILD_DIR/NAME and pulled as NAME:TAG.
FIXTURES=(busybox:latest nginx:latest redis:latest tomcat:9.0 elasticsearch:7.6.2)
WAIT_SECS=30   # readiness timeout for dockerd / registry
STOP_SECS=20   # SIGTERM grace before SIGKILL

log() { printf '[engine] %s\n' "$*" >&2; }
die() { printf '[engine] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }

usage() {
  cat >&2 <<'EOF'
usage: engine.sh provision | up | stop-engine | start-engine | down | env
  BERTH_TEST_DIR must be set for up/stop-engine/start-engine/down/env
  (stop-engine/start-engine/down/env also accept it as the 2nd argument).
EOF
  exit 2
}

# ---------------------------------------------------------------- helpers ---
abs_dir() { realpath -m -- "$1"; }

# alive PID: the process exists and is not a zombie
alive() {
  local pid=${1:-}
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/stat ]] || return 1
  local st
  st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}

# cmdline_has PID STRING: the process's command line contains STRING
cmdline_has() {
  [[ -r /proc/$1/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# stop_pid PID SECS: SIGTERM, wait up to SECS, then SIGKILL and wait briefly
stop_pid() {
  local pid=$1 secs=$2 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "pid $pid still alive after ${secs}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  return 0
}

tail_log() { [[ -f $1 ]] && { echo "----- last lines of $1 -----" >&2; tail -n 40 "$1" >&2; } || true; }

need_test_dir() {
  local d=${1:-${BERTH_TEST_DIR:-}}
  [[ -n $d ]] || die "BERTH_TEST_DIR is not set"
  BERTH_TEST_DIR=$(abs_dir "$d")
  export BERTH_TEST_DIR
}

# The state file is written progressively during `up` (so `down` can clean up
# a half-finished `up`); the env file is written once `up` has succeeded.
state_file() { printf '%s/state' "$BERTH_TEST_DIR"; }
state_set() { printf 'export %s=%q\n' "$1" "$2" >>"$(state_file)"; eval "export $1=\$2"; }
load_state() {
  local f
  f=$(state_file)
  [[ -f $f ]] || return 1
  # shellcheck disable=SC1090
  source "$f"
  if [[ -n ${BERTH_TEST_ENGINE_DIR:-} ]]; then
    export DOCKER_HOST="unix://$BERTH_TEST_ENGINE_DIR/docker.sock"
  fi
  return 0
}

docker_ok() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

dockerd_pid() {
  local pf="$BERTH_TEST_ENGINE_DIR/dockerd.pid" pid
  [[ -f $pf ]] || return 1
  pid=$(cat "$pf" 2>/dev/null) || return 1
  alive "$pid" && cmdline_has "$pid" "$BERTH_TEST_ENGINE_DIR/docker.sock" || return 1
  echo "$pid"
}

# ------------------------------------------------------------- provision ---
cmd_provision() {
  local missing=() p st
  for p in "${PACKAGES[@]}"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $st == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    log "provision: all packages present (${PACKAGES[*]})"
    return 0
  fi
  if [[ $(id -u) != 0 ]]; then
    die "provision: missing packages: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}"
  fi
  log "provision: installing ${missing[*]}"
  # Keep package postinst scripts from starting system services (the default
  # dockerd, nginx, redis) when no policy-rc.d exists yet.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  } || rc=$?
  ((made_policy)) && rm -f "$policy"
  ((rc == 0)) || die "provision: apt-get failed (exit $rc)"
  log "provision: done"
}

# -------------------------------------------------------------------- up ---
pick_bridge_and_subnet() {
  local name n i cand=()
  for ((i = 0; i < 100; i++)); do
    name=$(printf 'bth%04x' $((RANDOM % 65536)))
    ip link show "$name" >/dev/null 2>&1 || break
  done
  mapfile -t cand < <(shuf -i 1-30)
  local addrs routes
  addrs=$(ip -o -4 addr show 2>/dev/null || true)
  routes=$(ip -4 route show 2>/dev/null || true)
  for n in "${cand[@]}"; do
    grep -qE "inet 10\.231\.$n\.[0-9]+/" <<<"$addrs" && continue
    grep -qE "^10\.231\.$n\.0/" <<<"$routes" && continue
    BR_NAME=$name BR_N=$n
    return 0
  done
  die "no free subnet 10.231.N.0/24 (N in 1..30) on this host"
}

pick_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 40000))
    if [[ -z $(ss -Hltn "sport = :$p" 2>/dev/null) ]]; then
      echo "$p"
      return 0
    fi
  done
  die "no free TCP port found"
}

start_registry() {
  local E=$BERTH_TEST_ENGINE_DIR
  mkdir -p "$E/registry"
  cat >"$E/registry.yml" <<YML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $E/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$BERTH_TEST_REGISTRY_PORT
YML
  setsid docker-registry serve "$E/registry.yml" </dev/null >>"$BERTH_TEST_REGISTRY_LOG" 2>&1 &
  echo $! >"$E/registry.pid"
  state_set BERTH_TEST_REGISTRY_PID "$!"
}

wait_registry() {
  local deadline=$(($(date +%s) + WAIT_SECS))
  while :; do
    curl -fsS -o /dev/null "http://$BERTH_TEST_REGISTRY/v2/" 2>/dev/null && return 0
    if ! alive "$BERTH_TEST_REGISTRY_PID"; then
      tail_log "$BERTH_TEST_REGISTRY_LOG"
      die "docker-registry exited during start"
    fi
    if (($(date +%s) >= deadline)); then
      tail_log "$BERTH_TEST_REGISTRY_LOG"
      die "docker-registry did not answer on $BERTH_TEST_REGISTRY within ${WAIT_SECS}s"
    fi
    sleep 0.1
  done
}

# Start dockerd with the argument list saved in $E/dockerd.args; wait until
# `docker version` answers.
start_dockerd() {
  local E=$BERTH_TEST_ENGINE_DIR args pid
  mapfile -t args <"$E/dockerd.args"
  if pid=$(dockerd_pid); then
    log "dockerd already running (pid $pid)"
  else
    # A stale pidfile / socket from a killed or stopped dockerd breaks the start.
    rm -f "$E/dockerd.pid" "$E/docker.sock"
    # dockerd reuses "its" containerd if the containerd pidfile names a live
    # process; after a SIGKILL that pid can be an unreaped zombie (or reused),
    # which makes dockerd wait for a containerd that never answers.
    local cpf="$E/exec/containerd/containerd.pid" cpid
    if [[ -f $cpf ]]; then
      cpid=$(cat "$cpf" 2>/dev/null || true)
      if ! alive "$cpid" || ! cmdline_has "$cpid" "$E/exec/containerd"; then
        rm -f "$cpf"
      fi
    fi
    setsid dockerd "${args[@]}" </dev/null >>"$BERTH_TEST_DOCKERD_LOG" 2>&1 &
    pid=$!
  fi
  local deadline=$(($(date +%s) + WAIT_SECS))
  while :; do
    if [[ -S $E/docker.sock ]] && docker_ok; then
      return 0
    fi
    if ! alive "$pid"; then
      tail_log "$BERTH_TEST_DOCKERD_LOG"
      die "dockerd exited during start"
    fi
    if (($(date +%s) >= deadline)); then
      tail_log "$BERTH_TEST_DOCKERD_LOG"
      die "dockerd did not answer on $DOCKER_HOST within ${WAIT_SECS}s"
    fi
    sleep 0.1
  done
}

# copy_with_libs ROOT FILE...: copy binaries plus every library ldd lists
copy_with_libs() {
  local root=$1 f
  shift
  for f in "$@"; do cp -L --parents "$f" "$root/"; done
  # `ldd a b` prints "a:" header lines; skip them. vdso has no path.
  ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' |
    sort -u | while read -r f; do cp -L --parents "$f" "$root/"; done
}

# add_busybox ROOT: static busybox with applet symlinks in /bin, passwd/group, /tmp
add_busybox() {
  local root=$1 bb
  bb=$(command -v busybox) || die "busybox not found (install busybox-static)"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  chmod 1777 "$root/tmp"
  cp -L "$bb" "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s /bin
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
}

prepare_fixtures() {
  local B=$1 r
  # busybox
  r=$B/busybox/rootfs
  mkdir -p "$r"
  add_busybox "$r"
  cat >"$B/busybox/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["sh"]
EOF

  # nginx (the host's real /usr/sbin/nginx)
  r=$B/nginx/rootfs
  mkdir -p "$r"
  add_busybox "$r"
  copy_with_libs "$r" /usr/sbin/nginx
  mkdir -p "$r/etc/nginx" "$r/var/log/nginx" "$r/var/lib/nginx" "$r/var/cache/nginx" \
    "$r/run" "$r/usr/share/nginx/html"
  cp /etc/nginx/mime.types "$r/etc/nginx/mime.types"
  cat >"$r/etc/nginx/nginx.conf" <<'EOF'
user root;
worker_processes 1;
pid /run/nginx.pid;
error_log /dev/stderr notice;

events {
    worker_connections 256;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    sendfile on;
    keepalive_timeout 65;

    server {
        listen 80 default_server;
        server_name localhost;
        root /usr/share/nginx/html;
        index index.html;
    }
}
EOF
  cat >"$r/usr/share/nginx/html/index.html" <<'EOF'
<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and working.</p>
</body>
</html>
EOF
  cat >"$B/nginx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EXPOSE 80
CMD ["/usr/sbin/nginx","-g","daemon off;"]
EOF

  # redis (the host's real redis-server / redis-cli)
  r=$B/redis/rootfs
  mkdir -p "$r"
  add_busybox "$r"
  copy_with_libs "$r" /usr/bin/redis-server /usr/bin/redis-cli
  mkdir -p "$r/data"
  cat >"$B/redis/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /data
EXPOSE 6379
CMD ["redis-server","--protected-mode","no"]
EOF

  prepare_standins "$B"
}

# Stand-ins for tomcat:9.0 and elasticsearch:7.6.2 (Docker Hub is unreachable
# here): busybox httpd answering on the real images' ports with a similar body.
# They are built FROM the busybox fixture (BUILD_BASE), so push and pull move
# only their small top layer: `up` stays about as fast as without them.
# The start script runs httpd in the background and waits, so that `docker
# stop` ends it at once (httpd as PID 1 ignores SIGTERM: a 10 s stop each time).
# Arguments and env (ES_JAVA_OPTS, discovery.type, CATALINA_OPTS...) are ignored.
prepare_standins() {
  local B=$1 r
  # tomcat:9.0 — HTTP on 8080
  r=$B/tomcat/rootfs
  mkdir -p "$r/usr/local/tomcat/bin" "$r/usr/local/tomcat/webapps/ROOT" "$r/usr/local/tomcat/logs"
  cat >"$r/usr/local/tomcat/webapps/ROOT/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head><title>Apache Tomcat/9.0 (Berth test stand-in)</title></head>
<body>
<h1>Apache Tomcat/9.0 (Berth test stand-in)</h1>
<p>If you're seeing this, you've successfully installed Tomcat. Congratulations!</p>
<p>This is a busybox httpd answering on port 8080 in place of the real tomcat:9.0 image.</p>
</body>
</html>
EOF
  cat >"$r/usr/local/tomcat/bin/catalina.sh" <<'EOF'
#!/bin/sh
# Berth test stand-in for tomcat:9.0: arguments ("run") and env are ignored.
trap 'kill $pid 2>/dev/null; exit 0' TERM INT
echo "Apache Tomcat/9.0 (Berth test stand-in): listening on port 8080"
httpd -f -v -p 8080 -h /usr/local/tomcat/webapps/ROOT &
pid=$!
wait $pid
EOF
  chmod 755 "$r/usr/local/tomcat/bin/catalina.sh"
  cat >"$B/tomcat/Dockerfile" <<'EOF'
ARG BASE
FROM $BASE
COPY rootfs/ /
ENV PATH=/usr/local/tomcat/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV CATALINA_HOME=/usr/local/tomcat TOMCAT_MAJOR=9 TOMCAT_VERSION=9.0
WORKDIR /usr/local/tomcat
EXPOSE 8080
CMD ["catalina.sh","run"]
EOF

  # elasticsearch:7.6.2 — JSON on 9200 (GET / as application/json), 9300 open
  r=$B/elasticsearch/rootfs
  local es=usr/share/elasticsearch
  mkdir -p "$r/$es/www" "$r/$es/data" "$r/$es/logs" "$r/usr/local/bin"
  # busybox httpd serves index.html for "/"; this mapping makes it JSON.
  printf '.html:application/json\n' >"$r/$es/httpd.conf"
  cat >"$r/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Berth test stand-in for elasticsearch:7.6.2: arguments ("eswrapper") and env
# (ES_JAVA_OPTS, discovery.type, cluster.name...) are ignored.
trap 'kill $p1 $p2 2>/dev/null; exit 0' TERM INT
www=/usr/share/elasticsearch/www
# (a read-only root keeps the body written at build time)
[ -w "$www" ] && cat >"$www/index.html" <<JSON
{
  "name" : "$(hostname)",
  "cluster_name" : "docker-cluster",
  "cluster_uuid" : "berth-test-stand-in",
  "version" : {
    "number" : "7.6.2",
    "build_flavor" : "default",
    "build_type" : "docker",
    "build_hash" : "ef48eb35cf30adf4db14086e8aabd07ef6fb113f",
    "build_date" : "2020-03-26T06:34:37.794943Z",
    "build_snapshot" : false,
    "lucene_version" : "8.4.0",
    "minimum_wire_compatibility_version" : "6.8.0",
    "minimum_index_compatibility_version" : "6.0.0-beta1"
  },
  "tagline" : "You Know, for Search"
}
JSON
echo "Elasticsearch 7.6.2 (Berth test stand-in): HTTP on 9200, transport on 9300"
httpd -f -v -p 9200 -h "$www" -c /usr/share/elasticsearch/httpd.conf &
p1=$!
httpd -f -p 9300 -h "$www" -c /usr/share/elasticsearch/httpd.conf &
p2=$!
wait $p1
EOF
  chmod 755 "$r/usr/local/bin/docker-entrypoint.sh"
  # the same body at build time, for a read-only root filesystem
  sed -n '/^{$/,/^}$/p' "$r/usr/local/bin/docker-entrypoint.sh" |
    sed 's/\$(hostname)/elasticsearch/' >"$r/$es/www/index.html"
  cat >"$B/elasticsearch/Dockerfile" <<'EOF'
ARG BASE
FROM $BASE
COPY rootfs/ /
ENV PATH=/usr/share/elasticsearch/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV ELASTIC_CONTAINER=true
WORKDIR /usr/share/elasticsearch
EXPOSE 9200 9300
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["eswrapper"]
EOF
}

# run_parallel WHAT DIR CMD...: run `CMD NAME TAG` once per fixture, in parallel;
# fail with that job's output if any fails.
run_parallel() {
  local what=$1 B=$2
  shift 2
  local ref pids=() names=() i rc=0
  for ref in "${FIXTURES[@]}"; do
    ("$@" "${ref%%:*}" "${ref#*:}") >"$B/$what-${ref%%:*}.log" 2>&1 &
    pids+=($!)
    names+=("${ref%%:*}")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      rc=1
      log "$what ${names[$i]} failed:"
      cat "$B/$what-${names[$i]}.log" >&2
    fi
  done
  ((rc == 0)) || die "$what failed"
}

# Fixtures built FROM another fixture (NAME -> NAME:TAG of the base); their
# build job waits for the base's build job (a marker file) instead of a
# separate sequential step.
declare -A BUILD_BASE=([tomcat]=busybox:latest [elasticsearch]=busybox:latest)

# jobs take NAME TAG
job_build() {
  local base=${BUILD_BASE[$1]:-} args=() i rc=0
  if [[ -n $base ]]; then
    for ((i = 0; i < 1200; i++)); do
      [[ -e $BUILD_DIR/built-${base%%:*} ]] && break
      [[ -e $BUILD_DIR/failed-${base%%:*} ]] && { echo "base ${base} failed to build" >&2; return 1; }
      sleep 0.05
    done
    [[ -e $BUILD_DIR/built-${base%%:*} ]] || { echo "timed out waiting for base ${base}" >&2; return 1; }
    args=(--build-arg "BASE=$BERTH_TEST_REGISTRY/library/$base")
  fi
  docker build -q "${args[@]}" -t "$BERTH_TEST_REGISTRY/library/$1:$2" "$BUILD_DIR/$1" || rc=$?
  if ((rc == 0)); then touch "$BUILD_DIR/built-$1"; else touch "$BUILD_DIR/failed-$1"; fi
  return $rc
}
job_push() { docker push "$BERTH_TEST_REGISTRY/library/$1:$2"; }
job_pull() { docker pull "$1:$2"; }

cmd_up() {
  need_test_dir "${1:-}"
  [[ $(id -u) == 0 ]] || die "up must run as root (it starts dockerd and creates a bridge)"
  local t0 p
  t0=$(now)
  for p in dockerd docker docker-registry busybox ip curl; do
    command -v "$p" >/dev/null || die "'$p' not found; run: $0 provision"
  done
  [[ -e /usr/sbin/nginx && -e /usr/bin/redis-server && -e /usr/bin/redis-cli ]] ||
    die "nginx / redis binaries missing; run: $0 provision"
  if [[ -e $BERTH_TEST_DIR/state ]]; then
    die "$BERTH_TEST_DIR already holds an engine (state file exists); run down first or use a fresh dir"
  fi
  mkdir -p "$BERTH_TEST_DIR"
  : >"$(state_file)"
  trap 'rc=$?; if ((rc != 0)); then log "up failed (exit $rc); clean up with: BERTH_TEST_DIR=$BERTH_TEST_DIR $0 down"; fi' EXIT

  state_set BERTH_TEST_DIR "$BERTH_TEST_DIR"
  # Unix socket paths are limited to 107 bytes (docker.sock, <exec-root>/
  # containerd/containerd.sock.ttrpc, <exec-root>/libnetwork/<id>.sock, ...),
  # so keep the engine dir short.
  local E
  if ((${#BERTH_TEST_DIR} <= 20)); then
    E=$BERTH_TEST_DIR
  else
    E=$(mktemp -d /tmp/bth.XXXXXX)
  fi
  state_set BERTH_TEST_ENGINE_DIR "$E"
  export DOCKER_HOST="unix://$E/docker.sock"
  state_set DOCKER_HOST "$DOCKER_HOST"
  state_set BERTH_TEST_DOCKERD_LOG "$BERTH_TEST_DIR/dockerd.log"
  state_set BERTH_TEST_REGISTRY_LOG "$BERTH_TEST_DIR/registry.log"
  mkdir -p "$E/data" "$E/exec"
  # own config file (never /etc/docker/daemon.json) and own trust key (dockerd
  # 20.10 otherwise creates/uses /etc/docker/key.json, shared with the default engine)
  printf '{ "deprecated-key-path": "%s/key.json" }\n' "$E" >"$E/daemon.json"

  # Own bridge + subnet (lock so concurrent `up`s pick different ones).
  local BR_NAME BR_N
  exec 9>/tmp/berth-engine.lock
  flock -w 30 9 || die "could not lock /tmp/berth-engine.lock"
  pick_bridge_and_subnet
  state_set BERTH_TEST_BRIDGE "$BR_NAME"
  state_set BERTH_TEST_SUBNET "10.231.$BR_N.0/24"
  state_set BERTH_TEST_GATEWAY "10.231.$BR_N.1"
  ip link add "$BR_NAME" type bridge
  ip addr add "10.231.$BR_N.1/24" dev "$BR_NAME"
  ip link set "$BR_NAME" up
  flock -u 9
  exec 9>&-

  # Registry mirror.
  state_set BERTH_TEST_REGISTRY_PORT "$(pick_port)"
  state_set BERTH_TEST_REGISTRY "127.0.0.1:$BERTH_TEST_REGISTRY_PORT"
  start_registry

  # Private dockerd.
  state_set BERTH_TEST_ADDRESS_POOL "10.231.128.0/17"
  printf '%s\n' \
    --host "unix://$E/docker.sock" \
    --data-root "$E/data" \
    --exec-root "$E/exec" \
    --pidfile "$E/dockerd.pid" \
    --config-file "$E/daemon.json" \
    --bridge "$BR_NAME" \
    --iptables=false \
    --ip-masq=false \
    --ip-forward=false \
    --default-address-pool "base=10.231.128.0/17,size=24" \
    --registry-mirror "http://$BERTH_TEST_REGISTRY" \
    >"$E/dockerd.args"
  state_set BERTH_TEST_DOCKERD_PIDFILE "$E/dockerd.pid"

  # Build contexts while the daemons come up.
  BUILD_DIR=$(mktemp -d "$E/build.XXXXXX")
  prepare_fixtures "$BUILD_DIR"
  wait_registry
  start_dockerd
  local t_ready
  t_ready=$(now)

  if ! docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=0; fi
  export DOCKER_CLI_HINTS=false
  local t_b t_p t_l
  t_b=$(now)
  run_parallel build "$BUILD_DIR" job_build
  t_p=$(now)
  run_parallel push "$BUILD_DIR" job_push
  local n
  for n in "${FIXTURES[@]}"; do
    docker rmi "$BERTH_TEST_REGISTRY/library/$n" >/dev/null
  done
  t_l=$(now)
  run_parallel pull "$BUILD_DIR" job_pull
  log "$(awk -v a="$t_b" -v b="$t_p" -v c="$t_l" -v d="$(now)" \
    'BEGIN { printf "images: build %.1fs, push+untag %.1fs, pull %.1fs", b - a, c - b, d - c }')"
  for n in "${FIXTURES[@]}"; do
    docker image inspect "$n" >/dev/null || die "image $n missing after pull"
  done
  rm -rf "$BUILD_DIR"

  cp "$(state_file)" "$BERTH_TEST_DIR/env"
  printf 'berth engine up in %.1fs (engine ready after %.1fs): DOCKER_HOST=%s registry=%s bridge=%s subnet=%s images=%s env=%s\n' \
    "$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')" "$(awk -v a="$t_ready" -v b="$t0" 'BEGIN { print a - b }')" "$DOCKER_HOST" "$BERTH_TEST_REGISTRY" \
    "$BERTH_TEST_BRIDGE" "$BERTH_TEST_SUBNET" "${FIXTURES[*]}" "$BERTH_TEST_DIR/env"
}

# ---------------------------------------------------- stop/start engine ---
cmd_stop_engine() {
  need_test_dir "${1:-}"
  load_state || die "no engine state in $BERTH_TEST_DIR"
  local pid
  if ! pid=$(dockerd_pid); then
    log "dockerd is not running"
    return 0
  fi
  stop_pid "$pid" "$STOP_SECS"
  alive "$pid" && die "dockerd (pid $pid) did not exit"
  log "dockerd stopped (pid $pid)"
}

cmd_start_engine() {
  need_test_dir "${1:-}"
  load_state || die "no engine state in $BERTH_TEST_DIR"
  [[ -f $BERTH_TEST_ENGINE_DIR/dockerd.args ]] || die "no saved dockerd arguments; run up first"
  start_dockerd
  log "dockerd running (pid $(cat "$BERTH_TEST_ENGINE_DIR/dockerd.pid")) on $DOCKER_HOST"
}

# ------------------------------------------------------------------ down ---
# Everything here is best effort; `down` always exits 0.
kill_leftover_containers() {
  local E=$BERTH_TEST_ENGINE_DIR pid id rroot p
  # containers whose dockerd died: kill them through runc's state dir
  for rroot in "$E/exec/runtime-runc/moby" "$E/exec/containerd/runc/moby"; do
    [[ -d $rroot ]] || continue
    for id in $(runc --root "$rroot" list -q 2>/dev/null); do
      runc --root "$rroot" kill -a "$id" KILL >/dev/null 2>&1 || runc --root "$rroot" kill "$id" KILL >/dev/null 2>&1 || true
      sleep 0.2
      runc --root "$rroot" delete -f "$id" >/dev/null 2>&1 || true
    done
  done
  # shims and containerd started for this engine only (matched by our exec-root)
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [[ $pid == "$$" ]] && continue
    if cmdline_has "$pid" "$E/exec/containerd/containerd.sock" ||
       { cmdline_has "$pid" "$E/exec/containerd" && cmdline_has "$pid" containerd; }; then
      stop_pid "$pid" 5
    fi
  done
}

our_bridges() {
  # the main bridge, plus br-<id> bridges of networks recorded from this engine
  [[ -n ${BERTH_TEST_BRIDGE:-} ]] && echo "$BERTH_TEST_BRIDGE"
  [[ -f $BERTH_TEST_ENGINE_DIR/bridges ]] && cat "$BERTH_TEST_ENGINE_DIR/bridges"
  # br-<12 hex> interfaces whose network id is stored in this engine's data-root
  local kv="$BERTH_TEST_ENGINE_DIR/data/network/files/local-kv.db" dev
  if [[ -f $kv ]]; then
    for dev in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1 | grep -E '^br-[0-9a-f]{12}$'); do
      grep -qaF "${dev#br-}" "$kv" && echo "$dev"
    done
  fi
  return 0
}

unmount_under() {
  local dir=$1 m
  [[ -n $dir && $dir != / ]] || return 0
  # deepest first
  while read -r m; do
    umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done < <(findmnt -rn -o TARGET 2>/dev/null | awk -v d="$dir" 'index($0, d "/") == 1 || $0 == d' |
    awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-)
}

cmd_down() {
  set +eu
  if [[ -z ${1:-} && -z ${BERTH_TEST_DIR:-} ]]; then
    log "down: BERTH_TEST_DIR is not set (nothing to do)"
    return 0
  fi
  need_test_dir "${1:-}"
  if ! load_state; then
    log "down: no engine state in $BERTH_TEST_DIR (nothing to do)"
    [[ -d $BERTH_TEST_DIR ]] && rm -rf "$BERTH_TEST_DIR"
    return 0
  fi
  local E=${BERTH_TEST_ENGINE_DIR:-} pid
  if [[ -z $E ]]; then
    rm -rf "$BERTH_TEST_DIR"
    return 0
  fi
  if pid=$(dockerd_pid) && docker_ok; then
    # record the bridges of user networks before removing them
    docker network ls -q --no-trunc 2>/dev/null | while read -r id; do
      [[ -n $id ]] || continue
      b=$(docker network inspect -f '{{index .Options "com.docker.network.bridge.name"}}' "$id" 2>/dev/null)
      d=$(docker network inspect -f '{{.Driver}}' "$id" 2>/dev/null)
      [[ $d == bridge ]] || continue
      if [[ -n $b && $b != "<no value>" ]]; then echo "$b"; else echo "br-${id:0:12}"; fi
    done >>"$E/bridges"
    local ids
    ids=$(docker ps -aq 2>/dev/null)
    [[ -n $ids ]] && timeout 120 docker rm -f $ids >/dev/null 2>&1
    timeout 60 docker network prune -f >/dev/null 2>&1
  fi
  if pid=$(dockerd_pid); then stop_pid "$pid" "$STOP_SECS"; fi
  kill_leftover_containers
  local rpid=${BERTH_TEST_REGISTRY_PID:-}
  [[ -z $rpid && -f $E/registry.pid ]] && rpid=$(cat "$E/registry.pid")
  if [[ -n $rpid ]] && alive "$rpid" && cmdline_has "$rpid" docker-registry; then
    stop_pid "$rpid" 5
  fi
  local dev
  for dev in $(our_bridges | sort -u); do
    if ip link show "$dev" >/dev/null 2>&1; then
      ip link del "$dev" 2>/dev/null && log "deleted bridge $dev"
    fi
  done
  unmount_under "$E"
  unmount_under "$BERTH_TEST_DIR"
  rm -rf "$E" 2>/dev/null || { unmount_under "$E"; sleep 1; rm -rf "$E"; }
  rm -rf "$BERTH_TEST_DIR" 2>/dev/null || { unmount_under "$BERTH_TEST_DIR"; sleep 1; rm -rf "$BERTH_TEST_DIR"; }
  log "down: engine in $BERTH_TEST_DIR removed"
  return 0
}

# ------------------------------------------------------------------ main ---
cmd=${1:-}
shift || true
case $cmd in
  provision) cmd_provision ;;
  up) cmd_up "$@" ;;
  stop-engine) cmd_stop_engine "$@" ;;
  start-engine) cmd_start_engine "$@" ;;
  down) (cmd_down "$@") || true; exit 0 ;;
  env) need_test_dir "${1:-}"; echo "$BERTH_TEST_DIR/env" ;;
  *) usage ;;
esac
