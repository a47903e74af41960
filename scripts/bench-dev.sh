#!/usr/bin/env bash
# Measures `decisionflow dev`: time from process start to /readyz 200, on a new data directory
# (cold: schema and namespace created) and on an existing one (warm restart), and its resident
# memory once ready and after sitting idle. Cold start is the baseline the warm figures are
# compared with; RSS right after ready is the baseline for idle growth. Beside each start it
# reads dev's own "ready" log line: the embedded Temporal server's start (temporal_start_ms)
# against the whole start, and the other phases.
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
  DECISIONFLOW_LOG_FORMAT=json "$work/decisionflow" dev --data-dir "$1" --http "$http" --temporal-listen "$temporal" >"$work/out.log" 2>&1 &
  pid=$!
  until curl -sf "http://$http/readyz" >/dev/null; do sleep 0.02; done
  ms=$(( $(now_ms) - t0 ))
}

stop() { kill -TERM "$pid"; wait "$pid" || true; }

# ready_line: the "ready" JSON line of the run that just stopped; fails when there is none.
ready_line() {
  local line
  line=$(jq -cR 'fromjson? | select(.msg == "ready" and has("ready_ms"))' "$work/out.log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "no ready line in $work/out.log" >&2
    exit 1
  fi
  echo "$line"
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=(); warm=()
: >"$work/cold.jsonl"; : >"$work/warm.jsonl"
for i in $(seq "$runs"); do
  dir="$work/data-$i"
  start "$dir"; cold+=("$ms"); stop; ready_line >>"$work/cold.jsonl"
  start "$dir"; warm+=("$ms"); stop; ready_line >>"$work/warm.jsonl"
done
cold_med=$(printf '%s\n' "${cold[@]}" | median)
warm_med=$(printf '%s\n' "${warm[@]}" | median)

# phases KIND OUTSIDE_MEDIAN: medians of KIND's ready lines (cold or warm) beside the outside
# measure, with the embedded server's share of both.
phases() {
  local f="$work/$1.jsonl" key
  declare -A med all
  for key in temporal_start_ms ready_ms store_ms temporal_connect_ms worker_ms; do
    med[$key]=$(jq ".$key" "$f" | median)
    all[$key]=$(jq ".$key" "$f" | paste -sd' ')
  done
  echo "$1: embedded Temporal start:          median ${med[temporal_start_ms]} ms  [${all[temporal_start_ms]}]"
  echo "$1: start to ready (outside):         median $2 ms"
  echo "$1: start to ready (in-process):      median ${med[ready_ms]} ms  [${all[ready_ms]}]"
  echo "$1: embedded Temporal's share:        $(awk "BEGIN {printf \"%.0f%% of start to ready, %.0f%% of in-process\", 100*${med[temporal_start_ms]}/$2, 100*${med[temporal_start_ms]}/${med[ready_ms]}}")"
  echo "$1: other phases, median:             store ${med[store_ms]} ms, temporal connect ${med[temporal_connect_ms]} ms, worker ${med[worker_ms]} ms"
}

start "$work/data-1"
rss_ready=$(rss_mb)
sleep "$idle"
rss_idle=$(rss_mb)
stop

echo "runs: $runs, $(nproc) cores"
echo "start to ready, cold (new data dir):   median ${cold_med} ms  [${cold[*]}]"
echo "start to ready, warm (restart):        median ${warm_med} ms  [${warm[*]}]"
echo "warm / cold:                            $(awk "BEGIN {printf \"%.2f\", $warm_med/$cold_med}")"
phases cold "$cold_med"
phases warm "$warm_med"
echo "RSS when ready:                         ${rss_ready} MiB"
echo "RSS after ${idle} s idle:                   ${rss_idle} MiB"
echo "idle / ready:                           $(awk "BEGIN {printf \"%.2f\", $rss_idle/$rss_ready}")"
