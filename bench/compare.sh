#!/usr/bin/env bash
# Herald vs Nchan, side by side, with the same load generator (herald bench) on this machine.
#
#   bench/compare.sh                 # full run: W1 W1C W2 W3 W4, and W5 soaking 30 minutes per server
#                                    # (2 h or more: it waits for a quiet machine before each run)
#   bench/compare.sh --quick         # short windows and a 2-minute soak (about 15 minutes in all)
#   bench/compare.sh --workloads W1,W3 --soak 5m
#
# For each workload it starts a fresh Herald (the shaded jar, JVM options below), runs the workload,
# stops it, then does the same with nginx + Nchan, so both meet the same machine state. Servers
# listen on 127.0.0.1 only. nginx and libnginx-mod-nchan are installed with apt-get when missing.
# W1C (Herald only; Nchan has no cluster of this kind) is W1 across four Herald nodes sharing a
# private redis-server (loopback, free port, no persistence), with 70,000 idle subscribers by
# default: four hubs of 17,500 each stay under the 20,000 open files this machine allows a process.
# Results: bench/results/<time>/<workload>-<target>.json, summary.md (the table docs/benchmarks.md
# shows), machine.txt, and <workload>-kernel.tsv for W1 and W1C (the kernel's socket memory,
# sampled every second). Every wait is bounded; the script stops the servers it started on exit.
#
# What W1C needs of the machine (checked before it runs): ulimit -n (soft, raised to the hard
# limit) above SUBSCRIBERS/4 + 1,000 for each hub and above 15,000 + 1,000 for each generator
# worker; fs.file-max above twice SUBSCRIBERS (both ends of every loopback connection are here);
# about 2 GiB of free memory (4 hubs with -Xmx1g, the workers' JVMs). Ephemeral ports are not a
# limit: the generator binds every 5,000 connections to another source address 127.0.0.x, and the
# kernel picks a port per source address, so each takes 5,000 of ip_local_port_range's ports.
#
# Options:
#   --quick                 short phases (smoke test of the whole comparison)
#   --workloads LIST        comma list of W1,W1C,W2,W3,W4,W5 (default: all)
#   --targets LIST          comma list of herald,nchan (default: both)
#   --soak DURATION         W5 length per server (default: 30m, --quick: 2m)
#   --herald-jar PATH       the hub jar (default: herald-cli/target/herald.jar, built when missing)
#   --quiet-load X          wait (at most 10 min) for the 1-minute load average to drop below X
#                           before each workload (default: 1.0; 0 to not wait)
#   --w1c-subscribers N     W1C's idle subscribers over the four nodes (default: 70000, --quick: 8000)
# Environment: HERALD_JVM_OPTS (default below), HERALD_PORT (18080), NCHAN_PORT (18081),
# CLUSTER_PORT (18100: W1C's nodes listen on it and the next three ports).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# Herald's JVM: Serial GC (short pauses on a small live set, no concurrent GC threads competing
# for two cores) with a small young generation, so the idle heap stays small; heap capped. Default
# G1 holds about twice the memory per idle subscriber (docs/benchmarks.md).
DEFAULT_HERALD_JVM_OPTS="-Xms64m -Xmx1g -Xmn24m -XX:+UseSerialGC -XX:MaxDirectMemorySize=512m"
HERALD_JVM_OPTS="${HERALD_JVM_OPTS:-$DEFAULT_HERALD_JVM_OPTS}"
HERALD_PORT="${HERALD_PORT:-18080}"
NCHAN_PORT="${NCHAN_PORT:-18081}"
CLUSTER_PORT="${CLUSTER_PORT:-18100}"
CLUSTER_NODES=4
# most subscriber connections per generator worker (as herald bench's default --per-worker)
W1C_PER_WORKER=15000
SERVER_START_TIMEOUT=30     # seconds
SERVER_STOP_TIMEOUT=20      # seconds
QUIET_WAIT_MAX=600          # seconds
W5_HISTORY=5000             # updates Herald keeps during the soak

quick=0
workloads="W1,W1C,W2,W3,W4,W5"
w1c_subscribers=""
targets="herald,nchan"
soak=""
herald_jar="$ROOT/herald-cli/target/herald.jar"
quiet_load="1.0"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --workloads) workloads="$2"; shift ;;
    --targets) targets="$2"; shift ;;
    --soak) soak="$2"; shift ;;
    --herald-jar) herald_jar="$2"; shift ;;
    --quiet-load) quiet_load="$2"; shift ;;
    --w1c-subscribers) w1c_subscribers="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = 1 ]; then
  W1_SETTLE=5s;  W2_WARMUP=5s;  W2_DURATION=10s; W3_WARMUP=5s;  W3_DURATION=20s
  W4_WARMUP=3s;  W4_DURATION=10s; W5_WARMUP=30s; SOAK_HEAP_EVERY=20; soak="${soak:-2m}"; w1c_subscribers="${w1c_subscribers:-8000}"
else
  W1_SETTLE=15s; W2_WARMUP=20s; W2_DURATION=30s; W3_WARMUP=10s; W3_DURATION=60s
  W4_WARMUP=5s;  W4_DURATION=20s; W5_WARMUP=300s; SOAK_HEAP_EVERY=300; soak="${soak:-30m}"; w1c_subscribers="${w1c_subscribers:-70000}"
fi
[[ "$w1c_subscribers" =~ ^[0-9]+$ ]] && [ "$w1c_subscribers" -ge "$CLUSTER_NODES" ] \
  || { echo "compare.sh: --w1c-subscribers: '$w1c_subscribers' (expected: a number >= $CLUSTER_NODES)" >&2; exit 2; }

log() { printf '\n== %s\n' "$*" >&2; }
die() { echo "compare.sh: $*" >&2; exit 1; }

[ "$(uname -s)" = Linux ] || die "Linux only (the generator reads /proc)"
command -v java >/dev/null || die "java not found (JDK 17 or newer)"

# --- open files: the servers and the generator's workers each hold many sockets -----------------
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then hard=1048576; fi
ulimit -n "$hard" || die "cannot raise ulimit -n to $hard"
[ "$(ulimit -n)" -ge 20000 ] || echo "compare.sh: warning: ulimit -n is $(ulimit -n); W1 at 19k needs 20000" >&2

# --- Herald jar -----------------------------------------------------------------------------------
if [ ! -f "$herald_jar" ]; then
  log "building herald.jar"
  ./mvnw -q -DskipTests package -pl herald-cli -am
fi
[ -f "$herald_jar" ] || die "no $herald_jar"
# the load generator is herald bench, from the same jar
bench_jar="$herald_jar"

# --- nginx + nchan --------------------------------------------------------------------------------
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so
if [[ ",$targets," == *",nchan,"* ]] && { ! command -v nginx >/dev/null || [ ! -f "$NCHAN_MODULE" ]; }; then
  log "installing nginx and libnginx-mod-nchan (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx libnginx-mod-nchan >/dev/null
  # the package may start the distribution's own nginx on port 80; it is not ours to stop
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$ROOT/bench/results/$stamp"
mkdir -p "$out"
work=$(mktemp -d /tmp/herald-compare.XXXXXX)

{
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu:     $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "memory:  $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel:  $(uname -r)"
  echo "os:      $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "nginx:   $(nginx -v 2>&1 | sed 's/.*: //') + nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null || echo '?')"
  echo "herald:  $herald_jar, built $(date -u -r "$herald_jar" +%Y-%m-%dT%H:%M:%SZ); repository at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "jvm:     $HERALD_JVM_OPTS"
  echo "ulimit:  $(ulimit -n)"
  echo "sysctl:  fs.file-max $(cat /proc/sys/fs/file-max), fs.nr_open $(cat /proc/sys/fs/nr_open)," \
    "net.core.somaxconn $(cat /proc/sys/net/core/somaxconn)," \
    "net.ipv4.ip_local_port_range $(tr '\t' ' ' </proc/sys/net/ipv4/ip_local_port_range)," \
    "net.ipv4.tcp_mem $(tr '\t' ' ' </proc/sys/net/ipv4/tcp_mem) (pages)"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

# --- servers --------------------------------------------------------------------------------------
server_pid=""
server_kind=""

listening() { # port -> 0 when something accepts connections on it
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A server of ours that cannot bind exits, and wait_port would find the other one: refuse first.
need_free() { # port option-name
  if listening "$1"; then die "port $1 is taken by another process (set $2)"; fi
}

wait_port() { # port -> 0 when accepting within SERVER_START_TIMEOUT
  local i
  for ((i = 0; i < SERVER_START_TIMEOUT * 10; i++)); do
    if listening "$1"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Herald as deployed: its default (durable, SQLite) history in a fresh data directory per run,
# anonymous subscribers (Nchan has no subscriber auth either), publishers with a token.
HERALD_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48)
HERALD_URL="http://127.0.0.1:$HERALD_PORT/.well-known/mercure"
HERALD_TOKEN=""

start_herald() { # gc_log_file [extra serve options...]
  local gc_log="$1"; shift
  need_free "$HERALD_PORT" HERALD_PORT
  rm -rf "$work/herald-data"
  # shellcheck disable=SC2086 # word splitting of the JVM options is intended
  java $HERALD_JVM_OPTS "-Xlog:gc:file=$gc_log" -jar "$herald_jar" serve --addr "127.0.0.1:$HERALD_PORT" \
    --public-url "$HERALD_URL" --publisher-jwt-key "$HERALD_KEY" --anonymous --data-dir "$work/herald-data" "$@" \
    >"$work/herald.log" 2>&1 &
  server_pid=$!
  server_kind=herald
  wait_port "$HERALD_PORT" || { cat "$work/herald.log" >&2; die "Herald did not start"; }
  if [ -z "$HERALD_TOKEN" ]; then
    HERALD_TOKEN=$(java -jar "$herald_jar" token --key "$HERALD_KEY" --audience "$HERALD_URL" --publish '*' \
      --lifetime 24h) || die "herald token failed"
    export HERALD_TOKEN
  fi
}

start_nchan() {
  local dir="$work/nginx"
  need_free "$NCHAN_PORT" NCHAN_PORT
  rm -rf "$dir"; mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
# Nchan on loopback for the comparison: one worker per core, defaults otherwise (message
# buffer of 10 per channel, memory store), no access log, keep-alive publishers.
load_module $NCHAN_MODULE;
worker_processes $(nproc);
worker_rlimit_nofile $(ulimit -n);
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $(ulimit -n); use epoll; multi_accept on; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$NCHAN_PORT backlog=4096;
    location ~ ^/sub/(\w+)\$ { nchan_subscriber eventsource; nchan_channel_id \$1; nchan_subscriber_first_message newest; }
    location ~ ^/pub/(\w+)\$ { nchan_publisher; nchan_channel_id \$1; }
  }
}
EOF
  nginx -c "$dir/nginx.conf" -p "$dir/" 2>>"$dir/error.log" || { cat "$dir/error.log" >&2; die "nginx did not start"; }
  wait_port "$NCHAN_PORT" || die "nginx does not listen on $NCHAN_PORT"
  server_pid=$(cat "$dir/nginx.pid")
  server_kind=nchan
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null || true
  local i
  for ((i = 0; i < SERVER_STOP_TIMEOUT * 10; i++)); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$server_pid" 2>/dev/null || true
  server_pid=""
  sleep 1 # let the sockets of the old server go before the next binds
}
# --- W1C: four Herald nodes on a private Redis -----------------------------------------------------
redis_pid=""
cluster_pids=()
cluster_urls=()

free_port() { # -> a loopback port nobody listens on, below the ephemeral range
  local i p
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 10000))
    if ! listening "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

start_redis() { # -> REDIS_URI; no persistence, its own directory, loopback only
  command -v redis-server >/dev/null || die "W1C needs redis-server (apt-get install redis-server)"
  local port dir="$work/redis"
  port=$(free_port) || die "no free port for redis-server"
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no >/dev/null 2>&1 &
  redis_pid=$!
  wait_port "$port" || { cat "$dir/redis.log" >&2; die "redis-server did not start on $port"; }
  REDIS_URI="redis://127.0.0.1:$port"
}

stop_pids() { # pids... : TERM, a bounded wait, then KILL
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  local i p alive
  for ((i = 0; i < SERVER_STOP_TIMEOUT * 10; i++)); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  kill -9 "$@" 2>/dev/null || true
}

start_cluster() { # name: CLUSTER_NODES hubs on CLUSTER_PORT.. sharing a fresh redis-server
  local name="$1" i port
  start_redis
  cluster_pids=(); cluster_urls=()
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    port=$((CLUSTER_PORT + i))
    need_free "$port" CLUSTER_PORT
    rm -rf "$work/node$i-data"
    # every node has the same configuration (docs/clustering.md), the history being Redis's stream;
    # --data-dir is unused with a transport, but kept per node so no two hubs could share one
    # shellcheck disable=SC2086 # word splitting of the JVM options is intended
    java $HERALD_JVM_OPTS "-Xlog:gc:file=$out/$name-herald-node$i-gc.log" -jar "$herald_jar" serve \
      --addr "127.0.0.1:$port" --public-url "$HERALD_URL" --publisher-jwt-key "$HERALD_KEY" --anonymous \
      --data-dir "$work/node$i-data" --transport "$REDIS_URI" >"$work/node$i.log" 2>&1 &
    cluster_pids+=("$!")
    cluster_urls+=("http://127.0.0.1:$port/.well-known/mercure")
  done
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    wait_port "$((CLUSTER_PORT + i))" || { cat "$work/node$i.log" >&2; die "Herald node $i did not start"; }
  done
}

stop_cluster() {
  stop_pids "${cluster_pids[@]}"
  cluster_pids=()
  stop_pids ${redis_pid:+"$redis_pid"}
  redis_pid=""
}

# W1C's demands on the machine, before anything starts (see the header)
check_w1c_machine() { # subscribers workers
  local n="$1" workers="$2" nofile per_node per_worker free_files avail_kb
  nofile=$(ulimit -n)
  per_node=$(( (n + CLUSTER_NODES - 1) / CLUSTER_NODES ))
  per_worker=$(( (n + workers - 1) / workers ))
  [ $((per_node + 1000)) -le "$nofile" ] \
    || die "W1C: $per_node subscribers per hub need ulimit -n >= $((per_node + 1000)) (have $nofile); lower --w1c-subscribers"
  [ $((per_worker + 1000)) -le "$nofile" ] \
    || die "W1C: $per_worker connections per generator worker need ulimit -n >= $((per_worker + 1000)) (have $nofile)"
  free_files=$(awk '{ print $3 - $1 }' /proc/sys/fs/file-nr)
  [ "$free_files" -ge $((2 * n + 10000)) ] \
    || die "W1C: $((2 * n)) sockets (both ends on this machine) but only $free_files more files allowed (fs.file-max)"
  avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
  [ "$avail_kb" -ge $((2 * 1024 * 1024)) ] || echo "compare.sh: warning: only $((avail_kb / 1024)) MiB available for W1C" >&2
}

# Kernel memory for sockets, once a second until the file KEEP is removed: what the process RSS
# leaves out. Columns: time, TCP sockets in use (v4 + v6, both ends of every loopback connection),
# TCP buffer memory (sockstat "mem", pages: tcp_memory_allocated), the socket slabs (TCP, TCPv6,
# sock_inode_cache: struct sock and its inode, bytes; empty without root), and Slab of /proc/meminfo (KiB).
kernel_sampler() { # file keep-file
  local file="$1" keep="$2"
  printf 'time\ttcp_inuse\ttcp_mem_pages\tsock_slab_bytes\tslab_kb\n' >"$file"
  while [ -e "$keep" ]; do
    {
      printf '%s\t' "$(date +%s)"
      awk '/^TCP:/ { for (i = 2; i < NF; i++) { if ($i == "inuse") u += $(i + 1); if ($i == "mem") m = $(i + 1) } }
           /^TCP6:/ { for (i = 2; i < NF; i++) if ($i == "inuse") u += $(i + 1) }
           END { printf "%d\t%d\t", u, m }' /proc/net/sockstat /proc/net/sockstat6 2>/dev/null || true
      awk '$1 == "TCP" || $1 == "TCPv6" || $1 == "sock_inode_cache" { b += $2 * $4; found = 1 }
           END { if (found) printf "%d", b }' /proc/slabinfo 2>/dev/null || true
      printf '\t%s\n' "$(awk '/^Slab:/ { print $2 }' /proc/meminfo)"
    } >>"$file"
    sleep 1
  done
}

with_kernel_sampler() { # name command... : runs the command with the sampler beside it
  local name="$1"; shift
  local keep="$work/$name.sampling" status=0 sampler
  touch "$keep"
  kernel_sampler "$out/$name-kernel.tsv" "$keep" &
  sampler=$!
  sleep 1.2 # the first line: before any connection
  "$@" || status=$?
  rm -f "$keep"
  wait "$sampler" 2>/dev/null || true
  return "$status"
}

# The soak's live heap: RSS alone cannot tell a leak from garbage the old generation has not
# collected yet (Serial GC collects it only when full), so every SOAK_HEAP_EVERY seconds this asks the
# hub for a full GC (jcmd GC.run; a pause of some 10 to 30 ms on its small heap) and then reads the
# heap in use (jcmd GC.heap_info: the generations' "used", in KiB; after a full GC all of it is live)
# beside VmRSS. Columns: seconds since the start, live heap (KiB), metaspace (KiB), RSS (KiB).
heap_sampler() { # pid file keep-file
  local pid="$1" file="$2" keep="$3" start i info live meta rss
  start=$(date +%s)
  printf 'seconds\tlive_heap_kib\tmetaspace_kib\trss_kib\n' >"$file"
  while [ -e "$keep" ]; do
    for ((i = 0; i < SOAK_HEAP_EVERY; i++)); do [ -e "$keep" ] || return 0; sleep 1; done
    jcmd "$pid" GC.run >/dev/null 2>&1 || return 0
    info=$(jcmd "$pid" GC.heap_info 2>/dev/null) || return 0
    live=$(awk '/generation +total/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } }
               END { print s + 0 }' <<<"$info")
    meta=$(awk '$1 == "Metaspace" { v = $3; sub(/K,?$/, "", v); print v + 0 }' <<<"$info")
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || return 0
    printf '%s\t%s\t%s\t%s\n' "$(( $(date +%s) - start ))" "$live" "$meta" "$rss" >>"$file"
  done
}

# run_cluster NAME SUBSCRIBERS ARGS... : W1 over the cluster's nodes
run_cluster() {
  local name="$1" n="$2"; shift 2
  local workers=$(( (n + W1C_PER_WORKER - 1) / W1C_PER_WORKER ))
  [ "$workers" -ge 2 ] || workers=2 # several processes even for a small count, as for the full one
  check_w1c_machine "$n" "$workers"
  wait_quiet
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  start_cluster "$name"
  local args=() i
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    args+=(--url "${cluster_urls[$i]}" --server-pid "${cluster_pids[$i]}")
  done
  log "$name herald: $n subscribers over $CLUSTER_NODES nodes, $workers workers (load $load)"
  local status=0
  with_kernel_sampler "$name" java -jar "$bench_jar" bench --label "$name" --target herald "${args[@]}" \
    --subscribers "$n" --workers "$workers" --json "$out/$name-herald.json" "$@" || status=$?
  echo "$name herald load_before=$load exit=$status subscribers=$n nodes=$CLUSTER_NODES workers=$workers" >>"$out/runs.txt"
  stop_cluster
  sleep 1
}

trap 'stop_cluster; stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

wait_quiet() {
  [ "$quiet_load" = 0 ] && return 0
  local i load
  for ((i = 0; i < QUIET_WAIT_MAX / 10; i++)); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" -v q="$quiet_load" 'BEGIN { exit !(l < q) }' && return 0
    [ "$i" = 0 ] && echo "waiting for the machine to be quiet (load $load, want < $quiet_load) ..." >&2
    sleep 10
  done
  echo "compare.sh: still loaded ($(cut -d' ' -f1 /proc/loadavg)) after $QUIET_WAIT_MAX s; measuring anyway" >&2
}

# run NAME TARGET ARGS... : one workload against a fresh server (HERALD_SERVE_EXTRA: more serve options)
run() {
  local name="$1" target="$2"; shift 2
  wait_quiet
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local url pid_args
  if [ "$target" = herald ]; then
    # shellcheck disable=SC2086 # word splitting of the extra options is intended
    start_herald "$out/$name-herald-gc.log" ${HERALD_SERVE_EXTRA:-}
    url="$HERALD_URL"
    pid_args=(--server-pid "$server_pid")
  else
    start_nchan
    url="http://127.0.0.1:$NCHAN_PORT"
    pid_args=(--server-pid "$server_pid" --server-children)
  fi
  log "$name $target (load $load)"
  local status=0 sampled=()
  [[ "$name" == W1-* ]] && sampled=(with_kernel_sampler "$name-$target")
  local keep="$work/$name.heap" heap_pid=""
  if [ "$name" = W5 ] && [ "$target" = herald ] && command -v jcmd >/dev/null; then
    touch "$keep"
    heap_sampler "$server_pid" "$out/$name-herald-heap.tsv" "$keep" &
    heap_pid=$!
  fi
  "${sampled[@]}" java -jar "$bench_jar" bench --label "$name" --target "$target" --url "$url" "${pid_args[@]}" \
    --json "$out/$name-$target.json" "$@" || status=$?
  if [ -n "$heap_pid" ]; then rm -f "$keep"; wait "$heap_pid" 2>/dev/null || true; fi
  echo "$name $target load_before=$load exit=$status" >>"$out/runs.txt"
  stop_server
}

has() { [[ ",$workloads," == *",$1,"* ]]; }

for wl in W1 W1C W2 W3 W4 W5; do
  has "$wl" || continue
  for target in ${targets//,/ }; do
    case "$wl" in
      W1C) if [ "$target" = herald ]; then
             run_cluster W1C "$w1c_subscribers" --settle "$W1_SETTLE" --connect-timeout 300s
           else
             echo "compare.sh: W1C is Herald only (Nchan has no cluster of this kind)" >&2
           fi ;;
      W1) for n in 1000 10000 19000; do
            run "W1-$n" "$target" --subscribers "$n" --settle "$W1_SETTLE" --connect-timeout 180s
          done ;;
      W2) for r in 100 1000 5000; do
            run "W2-$r" "$target" --subscribers 1000 --workers 2 --rate "$r" --data-bytes 64 \
              --warmup "$W2_WARMUP" --duration "$W2_DURATION" --settle 2s
          done ;;
      W3) run W3 "$target" --subscribers 10000 --workers 4 --rate 10 --warmup "$W3_WARMUP" \
            --duration "$W3_DURATION" --settle 5s --connect-timeout 180s ;;
      W4) run W4 "$target" --subscribers 0 --rate max --publishers 16 --warmup "$W4_WARMUP" \
            --duration "$W4_DURATION" --settle 0
          if [ "$target" = herald ]; then # Herald with Nchan's kind of history too: memory only
            HERALD_SERVE_EXTRA="--history memory" run W4-memory herald --subscribers 0 --rate max --publishers 16 \
              --warmup "$W4_WARMUP" --duration "$W4_DURATION" --settle 0
          fi ;;
      W5) # Herald keeps 5,000 updates, so its history (and the in-memory id index beside it) is
          # full after 250 s of the warm-up and the window shows the steady state, not the history
          # filling up (at the default 100,000 it would fill for 83 minutes)
          HERALD_SERVE_EXTRA="--history-max-events $W5_HISTORY" run W5 "$target" --subscribers 1000 --workers 2 \
            --rate 20 --warmup "$W5_WARMUP" --duration "$soak" --settle 5s ;;
    esac
  done
done

# --- summary --------------------------------------------------------------------------------------
jget() { # file key -> value (empty when null or missing)
  [ -f "$1" ] || return 0
  grep -m1 "^  \"$2\":" "$1" | sed -E 's/^  "[^"]+": //; s/,$//; s/^"(.*)"$/\1/; s/^null$//'
}
fmt() { # value scale decimals -> formatted (or -)
  if [ -z "$1" ]; then echo "-"; else awk -v v="$1" -v s="$2" -v d="$3" 'BEGIN { printf "%.*f", d, v / s }'; fi
}
ratio() { # herald nchan -> herald/nchan (or -)
  if [ -z "$1" ] || [ -z "$2" ] || awk -v n="$2" 'BEGIN { exit !(n == 0) }'; then echo "-"
  else awk -v h="$1" -v n="$2" 'BEGIN { printf "%.2f", h / n }'; fi
}
# kernel NAME -> bytes per socket of TCP buffer memory, of the socket slabs, and of all slab memory
# (tab-separated) from the sampler's file: the growth from its first line (before connecting) to
# the last line with the most sockets in use (settled, idle). TCP buffer memory is the lowest
# reading while settled: the machine's other traffic (another server's events, keep-alives) moves
# it by a few hundred pages from one second to the next, while idle sockets hold none.
kernel() {
  local f="$out/$1-kernel.tsv"
  [ -f "$f" ] || return 0
  awk -F'\t' -v page="$(getconf PAGESIZE)" 'NR == 2 { u0 = $2; m0 = $3; s0 = $4; k0 = $5 }
       NR > 2 { n++; iu[n] = $2; im[n] = $3; if ($2 >= u) { u = $2; s = $4; k = $5 } }
       END { d = u - u0; if (d <= 0) exit
             m = -1; for (i = 1; i <= n; i++) if (iu[i] >= u - d / 100 && (m < 0 || im[i] < m)) m = im[i]
             printf "%.0f\t%s\t%.0f\n", (m - m0) * page / d,
               (s0 == "" || s == "") ? "" : sprintf("%.0f", (s - s0) / d), (k - k0) * 1024 / d }' "$f"
}
# kernel_rows WORKLOAD HERALD-NAME NCHAN-NAME: the kernel's memory per socket, from the samplers
kernel_rows() {
  local hk nk i
  local metrics=("kernel TCP buffers per socket (bytes, sockstat mem)" "kernel socket slabs per socket (bytes)"
    "kernel slab, all caches, per socket (bytes; whole machine)")
  hk=$(kernel "$2"); nk=$(kernel "$3")
  for i in 1 2 3; do
    row_values "$1" "${metrics[$((i - 1))]}" "$(cut -f"$i" <<<"$hk")" "$(cut -f"$i" <<<"$nk")" 1 0
  done
}
# row_values WORKLOAD METRIC HERALD NCHAN SCALE DECIMALS: a row of computed values
row_values() {
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$(fmt "$3" "$5" "$6")" "$(fmt "$4" "$5" "$6")" "$(ratio "$3" "$4")"
}
per_held() { # json-file key -> value / held (or empty)
  local v h; v=$(jget "$1" "$2"); h=$(jget "$1" held)
  if [ -n "$v" ] && [ -n "$h" ] && [ "$h" != 0 ]; then awk -v v="$v" -v h="$h" 'BEGIN { printf "%.1f", v / h }'; fi
}
# row WORKLOAD METRIC KEY SCALE DECIMALS
row() {
  local h="$out/$1-herald.json" n="$out/$1-nchan.json"
  [ -f "$h" ] || [ -f "$n" ] || return 0
  local hv nv; hv=$(jget "$h" "$3"); nv=$(jget "$n" "$3")
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$(fmt "$hv" "$4" "$5")" "$(fmt "$nv" "$4" "$5")" "$(ratio "$hv" "$nv")"
}
{
  echo "| workload | metric | Herald | Nchan | Herald / Nchan |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for n in 1000 10000 19000; do
    row "W1-$n" "subscribers held" held 1 0
    row "W1-$n" "server RSS per subscriber (KiB)" rss_per_subscriber_bytes 1024 2
    if [ -f "$out/W1-$n-herald-kernel.tsv" ] || [ -f "$out/W1-$n-nchan-kernel.tsv" ]; then
      kernel_rows "W1-$n" "W1-$n-herald" "W1-$n-nchan"
    fi
  done
  if [ -f "$out/W1C-herald.json" ]; then
    row W1C "subscribers held ($CLUSTER_NODES nodes)" held 1 0
    row W1C "RSS growth of the $CLUSTER_NODES nodes per subscriber (KiB)" rss_per_subscriber_bytes 1024 2
    row_values W1C "RSS of the $CLUSTER_NODES nodes / subscribers (KiB, idle RSS included)" \
      "$(per_held "$out/W1C-herald.json" rss_idle_bytes)" "" 1024 2
    kernel_rows W1C W1C none
  fi
  for r in 100 1000 5000; do
    row "W2-$r" "delivered events/s" delivered_per_second 1 0
    row "W2-$r" "server CPU per delivery (us)" server_us_per_delivery 1 2
    row "W2-$r" "server CPU (cores)" server_cores 1 2
    row "W2-$r" "latency p50 (ms)" latency_p50_us 1000 2
    row "W2-$r" "latency p99 (ms)" latency_p99_us 1000 2
    row "W2-$r" "latency max (ms)" latency_max_us 1000 1
    row "W2-$r" "deliveries lost" lost 1 0
  done
  row W3 "latency p50 (ms)" latency_p50_us 1000 2
  row W3 "latency p99 (ms)" latency_p99_us 1000 2
  row W3 "latency max (ms)" latency_max_us 1000 1
  row W3 "deliveries lost" lost 1 0
  row W4 "publishes/s (16 connections)" published_per_second 1 0
  row W4 "publish round trip p99 (ms)" publish_rtt_p99_us 1000 2
  row W4-memory "publishes/s, Herald with memory history" published_per_second 1 0
  row W5 "server RSS at window start (MiB)" server_rss_start_bytes 1048576 1
  row W5 "server RSS at end (MiB)" server_rss_end_bytes 1048576 1
  if [ -s "$out/W5-herald-heap.tsv" ] && [ "$(wc -l <"$out/W5-herald-heap.tsv")" -gt 2 ]; then
    # the first sample is taken SOAK_HEAP_EVERY into the run (in the full run: the end of the warm-up)
    printf '| W5 | Herald live heap after full GC, first / last sample (MiB) | %s | - | - |\n' \
      "$(awk -F'\t' 'NR == 2 { f = $2 } END { printf "%.1f / %.1f", f / 1024, $2 / 1024 }' "$out/W5-herald-heap.tsv")"
    printf '| W5 | Herald RSS, first / last sample (MiB) | %s | - | - |\n' \
      "$(awk -F'\t' 'NR == 2 { f = $4 } END { printf "%.1f / %.1f", f / 1024, $4 / 1024 }' "$out/W5-herald-heap.tsv")"
  fi
  row W5 "latency p99 (ms)" latency_p99_us 1000 2
  row W5 "deliveries lost" lost 1 0
} >"$out/summary.md"

log "summary ($out)"
cat "$out/machine.txt"
echo
cat "$out/summary.md"
