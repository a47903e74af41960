#!/usr/bin/env bash
# Measures `decisionflow dev`: time from process start to /readyz 200, on a new data directory
# (cold: schema and namespace created) and on an existing one (warm restart), and its resident
# memory once ready and after sitting idle. Cold start is the baseline the warm figures are
# compared with; RSS right after ready is the baseline for idle growth.
#
# Usage: scripts/bench-dev.sh [runs] [idle-seconds]
set -euo pipefail
runs=${1:-5}
idle=${2:-30}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/decisionflow" ./cmd/decisionflow
http=127.0.0.1:18580
temporal=127.0.0.1:17580

if curl -s -o /dev/null "http://$http/"; then
  echo "something already listens on $http; stop it first" >&2
  exit 1
fi

now_ms() { date +%s%3N; }

# start DIR: starts dev on DIR; sets pid, and ms to the milliseconds until /readyz answered 200.
pid=
start() {
  local t0
  t0=$(now_ms)
  "$work/decisionflow" dev --data-dir "$1" --http "$http" --temporal-listen "$temporal" >"$work/out.log" 2>&1 &
  pid=$!
  until curl -sf "http://$http/readyz" >/dev/null; do sleep 0.02; done
  ms=$(( $(now_ms) - t0 ))
}

stop() { kill -TERM "$pid"; wait "$pid" || true; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=(); warm=()
for i in $(seq "$runs"); do
  dir="$work/data-$i"
  start "$dir"; cold+=("$ms"); stop
  start "$dir"; warm+=("$ms"); stop
done
cold_med=$(printf '%s\n' "${cold[@]}" | median)
warm_med=$(printf '%s\n' "${warm[@]}" | median)

start "$work/data-1"
rss_ready=$(rss_mb)
sleep "$idle"
rss_idle=$(rss_mb)
stop

echo "runs: $runs, $(nproc) cores"
echo "start to ready, cold (new data dir):   median ${cold_med} ms  [${cold[*]}]"
echo "start to ready, warm (restart):        median ${warm_med} ms  [${warm[*]}]"
echo "warm / cold:                            $(awk "BEGIN {printf \"%.2f\", $warm_med/$cold_med}")"
echo "RSS when ready:                         ${rss_ready} MiB"
echo "RSS after ${idle} s idle:                   ${rss_idle} MiB"
echo "idle / ready:                           $(awk "BEGIN {printf \"%.2f\", $rss_idle/$rss_ready}")"
