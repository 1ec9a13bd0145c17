#!/usr/bin/env bash
# Real test infrastructure on 127.0.0.1: Redis, PostgreSQL, RabbitMQ and an S3-compatible server
# (s3rver). Installs what is missing (needs root: apt for the servers and chromium, npm for s3rver), starts its
# own instances (no systemd here), waits until each answers, and stops them by recorded PID.
#
#   eng/infra.sh start | stop | status | env | install
#
# `install` only installs (the AppHost runs the same servers itself as local executables: eng/run.sh calls it).
# Tools installed from npm go to .tools/ in the repository (FS_TOOLS_DIR moves them), servers' data to the state directory.
# `env` prints the ConnectionStrings__* exports the services and tests read (docs/architecture.md contract).
# Ports and the state directory can be moved with FS_INFRA_* variables (see defaults below).
set -euo pipefail

DIR=${FS_INFRA_DIR:-/tmp/featurestore-infra}   # must be traversable by user postgres: not under /root
REDIS_PORT=${FS_INFRA_REDIS_PORT:-6390}
PG_PORT=${FS_INFRA_PG_PORT:-5433}
AMQP_PORT=${FS_INFRA_AMQP_PORT:-5673}
RABBIT_HTTP_PORT=${FS_INFRA_RABBIT_HTTP_PORT:-15673}   # management API: tests create a vhost each
EPMD_PORT=${FS_INFRA_EPMD_PORT:-4370}
S3_PORT=${FS_INFRA_S3_PORT:-9005}
WAIT=${FS_INFRA_TIMEOUT:-90}
S3RVER_VERSION=3.7.1
TOOLS=${FS_TOOLS_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.tools}
S3RVER=$TOOLS/s3/node_modules/s3rver
PIDS=$DIR/pids

say() { printf '[infra %(%T)T] %s\n' -1 "$*" >&2; }
fail() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
# A process counts as alive when it exists and is not a zombie (nothing reaps orphans here).
is_alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [[ -n $st && $st != Z* ]]; }
recorded_alive() { [[ -f $PIDS/$1 ]] && is_alive "$(<"$PIDS/$1")"; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# await NAME LOGFILE PID|- PROBE...: poll PROBE until it succeeds; fail early if PID dies.
await() {
  local name=$1 logfile=$2 pid=$3 started=$SECONDS; shift 3
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - started > WAIT)); then tail -n 25 "$logfile" >&2 || true; fail "$name not ready after ${WAIT}s (log: $logfile)"; fi
    if [[ $pid != - ]] && ! is_alive "$pid"; then tail -n 25 "$logfile" >&2 || true; fail "$name exited while starting (log: $logfile)"; fi
    sleep 0.2
  done
  say "$name ready on port ${name_port[$name]}"
}
declare -A name_port=([redis]=$REDIS_PORT [postgres]=$PG_PORT [rabbitmq]=$AMQP_PORT [s3]=$S3_PORT)

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_missing() {
  local packages=()
  command -v redis-server >/dev/null || packages+=(redis-server)
  [[ -n $(pg_bin) ]] || packages+=(postgresql)
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || packages+=(rabbitmq-server)
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)   # the browser the AppHost tests drive (Playwright launches /usr/bin/chromium)
  if ((${#packages[@]})); then
    [[ $(id -u) == 0 ]] || fail "missing ${packages[*]}; run as root so this script can apt-get install them"
    say "installing ${packages[*]} (apt)"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$DIR/apt.log" 2>&1 ||
      { tail -n 20 "$DIR/apt.log" >&2; fail "apt-get install ${packages[*]} failed"; }
  fi
  if [[ ! -f $S3RVER/package.json ]]; then
    command -v npm >/dev/null || fail "npm is missing: s3rver (the S3-compatible server) is installed with npm"
    say "installing s3rver@$S3RVER_VERSION (npm, into $TOOLS/s3)"
    mkdir -p "$TOOLS/s3"; [[ -f $TOOLS/s3/package.json ]] || echo '{"private":true}' >"$TOOLS/s3/package.json"
    (cd "$TOOLS/s3" && npm install --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION") >"$DIR/npm.log" 2>&1 ||
      { tail -n 20 "$DIR/npm.log" >&2; fail "npm install s3rver failed"; }
  fi
  # s3rver 3.7.1 answers with a misspelt XML namespace that S3 clients reject; correct it in place.
  sed -i 's#http://doc\.s3\.amazonaws\.com/2006-03-01/#http://s3.amazonaws.com/doc/2006-03-01/#g' "$S3RVER"/lib/controllers/*.js
}

rabbit_env() {
  local rd=$DIR/rabbitmq
  export HOME=$rd RABBITMQ_NODENAME=featurestore@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$AMQP_PORT RABBITMQ_DIST_PORT=$((AMQP_PORT + 20000)) \
    ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE=$rd/mnesia RABBITMQ_LOG_BASE=$rd/log RABBITMQ_PID_FILE=$rd/beam.pid \
    RABBITMQ_CONFIG_FILE=$rd/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$rd/enabled_plugins \
    RABBITMQ_CONF_ENV_FILE=$rd/rabbitmq-env.conf RABBITMQ_ADVANCED_CONFIG_FILE=$rd/advanced.config \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
}

launch_rabbitmq() { # slowest to boot, so it starts first and is awaited last
  recorded_alive rabbitmq && listening "$AMQP_PORT" && { say "rabbitmq already running"; return 1; }
  listening "$AMQP_PORT" && fail "port $AMQP_PORT is taken by another process"
  local rd=$DIR/rabbitmq
  rm -rf "$rd/mnesia" "$rd/log"; mkdir -p "$rd/mnesia" "$rd/log"
  [[ -f $rd/.erlang.cookie ]] || { tr -dc A-Za-z0-9 </dev/urandom | head -c 24 >"$rd/.erlang.cookie"; chmod 400 "$rd/.erlang.cookie"; }
  printf '%s\n' 'disk_free_limit.absolute = 50MB' 'management.tcp.ip = 127.0.0.1' \
    "management.tcp.port = $RABBIT_HTTP_PORT" >"$rd/rabbitmq.conf"
  : >"$rd/rabbitmq-env.conf"; echo '[rabbitmq_management].' >"$rd/enabled_plugins"; echo '[].' >"$rd/advanced.config"
  ( rabbit_env
    recorded_alive epmd || { nohup epmd -port "$EPMD_PORT" -address 127.0.0.1 >"$rd/epmd.log" 2>&1 </dev/null & echo $! >"$PIDS/epmd"; }
    nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$rd/server.log" 2>&1 </dev/null & echo $! >"$PIDS/rabbitmq-launcher" )
  return 0
}

start_redis() {
  redis_ping() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }
  recorded_alive redis && redis_ping && { say "redis already running"; return; }
  listening "$REDIS_PORT" && fail "port $REDIS_PORT is taken by another process"
  rm -rf "$DIR/redis"; mkdir -p "$DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$DIR/redis" --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log" || fail "redis-server did not start"
  await redis "$DIR/redis/redis.log" - redis_ping
  cp "$DIR/redis/redis.pid" "$PIDS/redis"
}

start_postgres() {
  local bin; bin=$(pg_bin)
  pg_up() { "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; }
  recorded_alive postgres && pg_up && { say "postgres already running"; return; }
  listening "$PG_PORT" && fail "port $PG_PORT is taken by another process"
  rm -rf "$DIR/pg"; mkdir -m 700 "$DIR/pg"; chown postgres: "$DIR/pg"
  runuser -u postgres -- "$bin/initdb" -D "$DIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/pg/initdb.log" 2>&1 || { cat "$DIR/pg/initdb.log" >&2; fail "initdb failed"; }
  # Durability is irrelevant for test data; turning it off makes schema set-up and writes fast.
  runuser -u postgres -- "$bin/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/postgres.log" -w -t "$WAIT" -o \
    "-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { tail -n 20 "$DIR/pg/postgres.log" >&2; fail "postgres did not start"; }
  await postgres "$DIR/pg/postgres.log" - pg_up
  head -n 1 "$DIR/pg/data/postmaster.pid" >"$PIDS/postgres"
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE registry' >/dev/null
}

start_s3() {
  s3_up() { curl -sf -o /dev/null "http://127.0.0.1:$S3_PORT/"; }
  recorded_alive s3 && s3_up && { say "s3 already running"; return; }
  listening "$S3_PORT" && fail "port $S3_PORT is taken by another process"
  rm -rf "$DIR/s3/data"; mkdir -p "$DIR/s3/data"
  nohup node "$S3RVER/bin/s3rver.js" -d "$DIR/s3/data" -a 127.0.0.1 -p "$S3_PORT" \
    --no-vhost-buckets --silent >"$DIR/s3/s3rver.log" 2>&1 </dev/null & echo $! >"$PIDS/s3"
  await s3 "$DIR/s3/s3rver.log" "$(<"$PIDS/s3")" s3_up
}

start() {
  mkdir -p "$PIDS"; chmod 755 "$DIR"
  local began=$SECONDS rabbit_launched=0
  install_missing
  launch_rabbitmq && rabbit_launched=1
  start_redis; start_postgres; start_s3
  if ((rabbit_launched)); then
    rabbit_api() { curl -sf -o /dev/null -u guest:guest "http://127.0.0.1:$RABBIT_HTTP_PORT/api/overview" && listening "$AMQP_PORT"; }
    await rabbitmq "$DIR/rabbitmq/server.log" "$(<"$PIDS/rabbitmq-launcher")" rabbit_api
    cp "$DIR/rabbitmq/beam.pid" "$PIDS/rabbitmq"
  fi
  say "all servers up in $((SECONDS - began))s"
}

# halt NAME SIGNAL COMMAND_PATTERN: the pattern guards against a recycled PID.
halt() {
  local name=$1 signal=$2 pattern=$3 file=$PIDS/$1 pid command
  [[ -f $file ]] || return 0
  pid=$(<"$file"); rm -f "$file"
  is_alive "$pid" || return 0
  command=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  [[ $command =~ $pattern ]] || { say "$name: pid $pid is now '$command', not ours; left alone"; return 0; }
  kill "-$signal" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while is_alive "$pid"; do
    ((SECONDS < deadline)) || { say "$name ignored SIG$signal; killing"; kill -KILL "$pid" 2>/dev/null || true; break; }
    sleep 0.1
  done
  say "stopped $name"
}

stop() {
  [[ -f $PIDS/rabbitmq || ! -f $DIR/rabbitmq/beam.pid ]] || cp "$DIR/rabbitmq/beam.pid" "$PIDS/rabbitmq"
  halt s3 TERM '^(node|s3rver)'
  halt rabbitmq TERM '^beam'                 # beam.smp shuts down gracefully on SIGTERM
  halt rabbitmq-launcher TERM '^(rabbitmq-serv|sh)'
  halt epmd TERM '^epmd$'
  halt postgres INT '^postgres$'             # SIGINT is postgres' fast shutdown
  halt redis TERM '^redis-server'
}

status() {
  local name rc=0
  for name in redis postgres rabbitmq s3; do
    if recorded_alive "$name" && listening "${name_port[$name]}"; then echo "$name up (port ${name_port[$name]})"
    else echo "$name down"; rc=1; fi
  done
  return $rc
}

print_env() {
  cat <<EOF
export ConnectionStrings__redis='127.0.0.1:$REDIS_PORT'
export ConnectionStrings__registry='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=registry'
export ConnectionStrings__messaging='amqp://guest:guest@127.0.0.1:$AMQP_PORT'
export FeatureStore__Tests__RabbitMqManagement='http://guest:guest@127.0.0.1:$RABBIT_HTTP_PORT'
export ConnectionStrings__minio='Endpoint=http://127.0.0.1:$S3_PORT;AccessKey=S3RVER;SecretKey=S3RVER'
EOF
}

case ${1:-} in
  install) mkdir -p "$DIR"; install_missing ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env|install" >&2; exit 2 ;;
esac
