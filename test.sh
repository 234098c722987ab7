#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs what the tests need (PostgreSQL, Redis, Chromium),
# starts a throwaway PostgreSQL cluster and a throwaway redis-server on 127.0.0.1, then runs `dotnet test` over the solution.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

need_install=()
command -v chromium >/dev/null 2>&1 || need_install+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_install+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
if [ ${#need_install[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_install[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

# A throwaway PostgreSQL cluster on loopback, owned by the postgres user (PostgreSQL refuses to run as root).
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PG_PORT="${MM_TEST_PG_PORT:-54329}"
PG_DIR="$(mktemp -d /tmp/mm-pg.XXXXXX)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
stop_pg() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
# A throwaway redis-server on loopback, its own port and directory, nothing persisted.
REDIS_PORT="${MM_TEST_REDIS_PORT:-56379}"
REDIS_DIR="$(mktemp -d /tmp/mm-redis.XXXXXX)"
stop_redis() { [ -f "$REDIS_DIR/redis.pid" ] && kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true; rm -rf "$REDIS_DIR"; }
trap 'stop_pg; stop_redis' EXIT
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c max_connections=200" start >/dev/null
export MM_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
# Tests that restart the server need these.
export MM_TEST_PG_BIN="$PG_BIN" MM_TEST_PG_DATA="$PG_DIR/data" MM_TEST_PG_LOG="$PG_DIR/server.log"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
  --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no >/dev/null
for _ in $(seq 1 100); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null || { echo "test.sh: redis-server did not start:"; cat "$REDIS_DIR/redis.log"; exit 1; }
export MM_TEST_REDIS="127.0.0.1:$REDIS_PORT"
# Tests that stop and restart a server start their own from this binary, on a port and directory of their own.
export MM_TEST_REDIS_SERVER="$(command -v redis-server)"
export MM_TEST_CHROMIUM="$(command -v chromium)"

dotnet test MaintenanceMiddleware.sln -c Release "$@"
