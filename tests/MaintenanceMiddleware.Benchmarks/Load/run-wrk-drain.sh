#!/usr/bin/env bash
# Maintenance off under wrk, before and after a change, side by side in one run (docs/benchmarks.md section 6):
#   bare (ASP.NET, no middleware) | off-before (UseMaintenanceMode, maintenance off, the old build) | off-after (the new build)
#   and the same three with an endpoint that goes asynchronous before it answers (bare-async, off-async-before, off-async-after)
# Each round runs them all in a rotated order, so drift on a shared machine falls on all of them alike.
# Usage: tests/MaintenanceMiddleware.Benchmarks/Load/run-wrk-drain.sh <before Benchmarks.dll> [after Benchmarks.dll] [duration=10s] [connections=32] [rounds=3]
#   (build the old commit elsewhere: git archive <commit> | tar -x -C /tmp/before && dotnet build /tmp/before/tests/MaintenanceMiddleware.Benchmarks -c Release)
set -euo pipefail
cd "$(dirname "$0")/../../.."
BEFORE="$1"
AFTER="${2:-tests/MaintenanceMiddleware.Benchmarks/bin/Release/net10.0/MaintenanceMiddleware.Benchmarks.dll}"
DURATION="${3:-10s}"; CONNECTIONS="${4:-32}"; ROUNDS="${5:-3}"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ -f "$AFTER" ] || dotnet build tests/MaintenanceMiddleware.Benchmarks -c Release -v q -nologo >/dev/null

WORK="$(mktemp -d /tmp/mm-wrk-drain.XXXXXX)"
mkdir -p "$WORK/root/public/Storefront/maintenance"
cp samples/Storefront/public/Storefront/maintenance/index.html "$WORK/root/public/Storefront/maintenance/"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

declare -A ports=([bare]=18191 [off-before]=18192 [off-after]=18193 [bare-async]=18194 [off-async-before]=18195 [off-async-after]=18196)
DOTNET_gcServer=0 dotnet "$BEFORE" host bare "${ports[bare]}" "$WORK/root" & pids+=($!)
DOTNET_gcServer=0 dotnet "$BEFORE" host off "${ports[off-before]}" "$WORK/root" & pids+=($!)
DOTNET_gcServer=0 dotnet "$AFTER" host off "${ports[off-after]}" "$WORK/root" & pids+=($!)
DOTNET_gcServer=0 dotnet "$BEFORE" host bare-async "${ports[bare-async]}" "$WORK/root" & pids+=($!)
DOTNET_gcServer=0 dotnet "$BEFORE" host off-async "${ports[off-async-before]}" "$WORK/root" & pids+=($!)
DOTNET_gcServer=0 dotnet "$AFTER" host off-async "${ports[off-async-after]}" "$WORK/root" & pids+=($!)
for variant in bare off-before off-after bare-async off-async-before off-async-after; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:${ports[$variant]}/" && break; sleep 0.1; done
  wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:${ports[$variant]}/" >/dev/null   # warm-up
done

order=(bare off-before off-after bare-async off-async-before off-async-after)
printf '%-6s %-17s %12s %10s %10s %6s\n' round variant requests/s p50 p99 load
for round in $(seq 1 "$ROUNDS"); do
  for variant in "${order[@]}"; do
    out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:${ports[$variant]}/")"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"; p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    printf '%-6s %-17s %12s %10s %10s %6s\n' "$round" "$variant" "$rps" "$p50" "$p99" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  order=("${order[@]:1}" "${order[0]}")
done
