#!/usr/bin/env bash
# The 503 page under wrk with an allowlist of 1 entry and of 10,000 entries (IPv4 networks that do not hold the
# client, so every request is looked up, then answered with the page). Both hosts run side by side; the runs are
# paired and alternate in order (1 then 10000, 10000 then 1, ...) so that drift on a shared machine falls on both.
# Prints each pair's ratio (10,000 entries / 1 entry) and their mean; target >= 0.95.
# Usage: tests/MaintenanceMiddleware.Benchmarks/Load/run-wrk-allowlist.sh [duration=10s] [connections=32] [pairs=3]
# Needs wrk (apt-get install -y wrk); installs it when missing.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION="${1:-10s}"; CONNECTIONS="${2:-32}"; PAIRS="${3:-3}"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

WORK="$(mktemp -d /tmp/mm-wrk-allow.XXXXXX)"
mkdir -p "$WORK/root/public/Storefront/maintenance"
cp samples/Storefront/public/Storefront/maintenance/index.html "$WORK/root/public/Storefront/maintenance/"
dotnet build tests/MaintenanceMiddleware.Benchmarks -c Release -v q -nologo >/dev/null
DLL="tests/MaintenanceMiddleware.Benchmarks/bin/Release/net10.0/MaintenanceMiddleware.Benchmarks.dll"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

declare -A ports=([1]=18091 [10000]=18092)
for size in 1 10000; do
  DOTNET_gcServer=0 dotnet "$DLL" host "on-$size" "${ports[$size]}" "$WORK/root" & pids+=($!)
done
for size in 1 10000; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:${ports[$size]}/" && break; sleep 0.1; done
  status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[$size]}/")"
  [ "$status" = 503 ] || { echo "host on-$size answers $status, expected 503" >&2; exit 1; }
  wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:${ports[$size]}/" >/dev/null   # warm-up
done

measure() {
  local out; out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:${ports[$1]}/")"
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then :; else echo "host on-$1 answered without 503s" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

printf '%-5s %14s %14s %8s   %s\n' pair "1 entry rps" "10000 rps" ratio "load (1 min)"
ratios=()
for pair in $(seq 1 "$PAIRS"); do
  if (( pair % 2 )); then one="$(measure 1)"; many="$(measure 10000)"; else many="$(measure 10000)"; one="$(measure 1)"; fi
  ratio="$(awk -v a="$many" -v b="$one" 'BEGIN { printf "%.3f", a / b }')"; ratios+=("$ratio")
  printf '%-5s %14s %14s %8s   %s\n' "$pair" "$one" "$many" "$ratio" "$(cut -d' ' -f1 /proc/loadavg)"
done
printf 'mean ratio %s\n' "$(printf '%s\n' "${ratios[@]}" | awk '{ s += $1 } END { printf "%.3f", s / NR }')"
