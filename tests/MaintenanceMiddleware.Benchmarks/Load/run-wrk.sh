#!/usr/bin/env bash
# Whole-process load test, every variant in the same run so the figures can be compared as ratios:
#   bare (ASP.NET, no middleware) | off (UseMaintenanceMode, maintenance off)
#   bare-page (ASP.NET writing the page from memory, 503) | on (UseMaintenanceMode, maintenance on) | nginx (same file)
# Usage: tests/MaintenanceMiddleware.Benchmarks/Load/run-wrk.sh [duration=10s] [connections=32]
# Needs wrk and nginx (apt-get install -y wrk nginx); installs them when missing.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION="${1:-10s}"; CONNECTIONS="${2:-32}"
for tool in wrk nginx; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; }
done

WORK="$(mktemp -d /tmp/mm-wrk.XXXXXX)"
mkdir -p "$WORK/root/public/Storefront/maintenance"; chmod 755 "$WORK"
cp samples/Storefront/public/Storefront/maintenance/index.html "$WORK/root/public/Storefront/maintenance/"; chmod -R a+rX "$WORK/root"
dotnet build tests/MaintenanceMiddleware.Benchmarks -c Release -v q -nologo >/dev/null
DLL="$(ls tests/MaintenanceMiddleware.Benchmarks/bin/Release/net10.0/MaintenanceMiddleware.Benchmarks.dll)"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

cat > "$WORK/nginx.conf" <<CONF
daemon on; worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:18085;
    root $WORK/root/public/Storefront/maintenance;
    location / { add_header Cache-Control no-store always; add_header Retry-After 300 always; return 503; }
    error_page 503 /index.html;
    location = /index.html { internal; default_type "text/html; charset=utf-8"; }
  }
}
CONF
/usr/sbin/nginx -c "$WORK/nginx.conf"

port=18080
declare -A ports
for variant in bare off bare-page on; do
  port=$((port + 1)); ports[$variant]=$port
  DOTNET_gcServer=0 dotnet "$DLL" host "$variant" "$port" "$WORK/root" & pids+=($!)
done
ports[nginx]=18085
for variant in bare off bare-page on nginx; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:${ports[$variant]}/" && break; sleep 0.1; done
done

printf '%-10s %12s %10s %10s %8s\n' variant requests/s p50 p99 status
for variant in bare off bare-page on nginx; do
  url="http://127.0.0.1:${ports[$variant]}/"
  wrk -t1 -c"$CONNECTIONS" -d2s "$url" >/dev/null   # warm-up
  out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$url")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"; p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  printf '%-10s %12s %10s %10s %8s\n' "$variant" "$rps" "$p50" "$p99" "$status"
done
