#!/usr/bin/env bash
# Measures the public comment intake from outside, as a load generator on the network sees it:
# `decisionflow dev` on Postgres (the embedded Temporal server, the real middleware; the rate
# limits raised, and so reported), a drill consultation opened through the API, then wrk
# against, at each connection count:
#
#   floor 1  GET  /healthz                                     (the server's cheapest answer)
#   floor 2  POST /api/v1/public/load-floor                    (the public routes' middleware, body read, 202)
#   comments POST /api/v1/public/consultations/{number}/comments (decode, check, store, ledger, 202)
#
# and last counts the stored comments against the 202s wrk received: a 202 is sent only
# after its comment is committed, so none may be missing.
#
# Usage: scripts/bench-intake.sh [seconds-per-measure] [connections...]
#   BENCH_DATABASE_URL  a Postgres server's admin URL (default postgres://postgres@127.0.0.1:5432/postgres);
#                       the script makes a database of its own there and drops it at the end.
#   BENCH_PPROF=DIR     also writes a CPU profile of dev during each comment measure to
#                       DIR/comments-CONNS.pprof (go tool pprof -top DIR/comments-512.pprof).
set -euo pipefail
seconds=${1:-10}
shift || true
conns=("$@")
[ ${#conns[@]} -gt 0 ] || conns=(64 256 512)
cd "$(dirname "$0")/.."
admin=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi
fi
for tool in curl jq psql; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
db=bench_intake_$$
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
store_url=$(sed -E "s#/[^/?]+(\?|$)#/$db\1#" <<<"$admin")

echo "building decisionflow…" >&2
go build -o "$work/decisionflow" ./cmd/decisionflow
http=127.0.0.1:18680
base=http://$http
export DECISIONFLOW_DATA_DIR=$work/data
pprof_addr=
[ -z "${BENCH_PPROF:-}" ] || { mkdir -p "$BENCH_PPROF"; pprof_addr=127.0.0.1:16680; }
env DATABASE_URL="$store_url" DECISIONFLOW_LOAD_FLOOR=true DECISIONFLOW_PPROF_ADDR="$pprof_addr" DECISIONFLOW_LOG_LEVEL=warn \
  DECISIONFLOW_PUBLIC_RATE_LIMIT=1000000 DECISIONFLOW_RATE_LIMIT=1000000 \
  "$work/decisionflow" dev --http "$http" --temporal-listen 127.0.0.1:17680 >"$work/dev.log" 2>&1 &
pid=$!
t0=$(date +%s%3N)
until curl -sf "$base/readyz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/dev.log" >&2; exit 1; }
  sleep 0.05
done
echo "dev ready in $(( $(date +%s%3N) - t0 )) ms" >&2

# A drill consultation, open for 30 statutory days of an hour each: open for the whole run.
number=BI-2026-001
d=$base/api/v1/decisions/$number
tok() { "$work/decisionflow" token --user "$1"; }
HEAD=$(tok head) LI=$(tok li)
act() { local who=$1 url=$2 body=$3
  curl -fsS -o /dev/null -H "Authorization: Bearer $who" -H 'Content-Type: application/json' -X POST "$url" -d "$body"; }
act "$LI" "$base/api/v1/decisions" '{"number":"'$number'","title":"停车管理办法（压力测试演练）","drill":{"seconds_per_day":3600}}'
act "$HEAD" "$d/start-decision" '{"units":[{"name":"区住建委"}],"officials":["li"],"document":"sha256:start",
  "applicability":{"participation":{"required":true},"expert":{"finding":"不具专业性"},"risk":{"finding":"无不利影响"},
  "fair_competition":{"finding":"不涉及市场主体经济活动"}}}'
act "$LI" "$d/draft" '{"document":"sha256:v1","explanation":"sha256:ex"}'
act "$LI" "$d/open-consultation" '{}'
act "$LI" "$d/participation/1/notice" '{"draft":"sha256:v1","explanation":"sha256:ex","how_to_comment":"网站留言","channels":["区政府网站"]}'
# A drill's notice is not published, but its intake takes comments from the notice on: one
# comment first, which must be acknowledged, is counted with the rest (a 503 is retried, as a
# client is asked to, and shown).
for attempt in 1 2 3 4 5; do
  status=$(curl -sS -o "$work/first.json" -w '%{http_code}' -H 'Content-Type: application/json' -X POST \
    "$base/api/v1/public/consultations/$number/comments" -d '{"text":"压力测试前的第一条意见：建议增设停车位。","clause":1}')
  [ "$status" = 202 ] && break
  echo "first comment answered $status: $(cat "$work/first.json")" >&2
  [ "$status" = 503 ] && [ "$attempt" -lt 5 ] || { tail -20 "$work/dev.log" >&2; exit 1; }
  sleep 1
done

# Every request counts its answer's status; a POST carries a comment of its own (about 330
# bytes of JSON, ~120 Chinese characters) so no two are the same text.
cat >"$work/load.lua" <<'EOF'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  ok, other, n = 0, 0, 0
  method = args[1]
  prefix = string.format("%d-%d", math.random(1e9), os.time())
end
function request()
  if method == "GET" then return wrk.format("GET") end
  n = n + 1
  local body = string.format('{"text":"第%s-%d条意见：建议在小区东门外增设非机动车停车区，夜间停车收费标准应当下调，停车场出入口应设置无障碍通道，并在醒目位置公示收费标准和投诉电话，方便居民监督。","clause":%d}', prefix, n, n % 5 + 1)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 200 or status == 202 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, t in ipairs(threads) do good = good + t:get("ok"); bad = bad + t:get("other") end
  io.write(string.format("RESULT rate=%.0f p50=%.1f p99=%.1f ok=%d other=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    good, bad, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF

# ticks: CPU clock ticks used so far by dev, by every Postgres process, and by the whole
# machine (busy, all processes): "dev postgres all".
ticks() {
  local dev pg all
  dev=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  pg=0
  for p in $(pgrep -x postgres); do pg=$(( pg + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done
  all=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)
  echo "$dev $pg $all"
}

# run NAME METHOD URL CONNS: one wrk measure; prints its RESULT fields after NAME, with the
# cores dev, Postgres and everything else (wrk, mostly) kept busy during it.
run() {
  local line before after hz t0 t1
  hz=$(getconf CLK_TCK)
  before=$(ticks); t0=$(date +%s%3N)
  line=$(wrk -t2 -c"$4" -d"${seconds}s" --timeout 10s -s "$work/load.lua" "$3" -- "$2" | grep '^RESULT')
  after=$(ticks); t1=$(date +%s%3N)
  echo "$1 ${line#RESULT } $(awk -v b="$before" -v a="$after" -v hz="$hz" -v ms=$(( t1 - t0 )) 'BEGIN {
    split(b, x, " "); split(a, y, " "); s = ms / 1000 * hz
    printf "dev=%.2f pg=%.2f rest=%.2f", (y[1]-x[1])/s, (y[2]-x[2])/s, ((y[3]-x[3])-(y[1]-x[1])-(y[2]-x[2]))/s }')"
}
field() { sed -E "s/.*$1=([^ ]+).*/\1/" <<<"$2"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
accepted=1
results=()
for c in "${conns[@]}"; do
  h=$(run healthz GET "$base/healthz" "$c")
  f=$(run floor POST "$base/api/v1/public/load-floor" "$c")
  profiler=
  if [ -n "$pprof_addr" ]; then
    curl -sS -o "$BENCH_PPROF/comments-$c.pprof" "http://$pprof_addr/debug/pprof/profile?seconds=$(( seconds > 3 ? seconds - 2 : 1 ))" &
    profiler=$!
  fi
  m=$(run comments POST "$base/api/v1/public/consultations/$number/comments" "$c")
  [ -z "$profiler" ] || wait "$profiler"
  # The search index trails a flood; the next floors are measured once it has caught up, and
  # how long that took after the flood's end is reported.
  t0=$(date +%s%3N)
  until [ "$(psql -tA "$store_url" -c "SELECT count(*) FROM comment_batches WHERE NOT indexed")" = 0 ]; do sleep 0.2; done
  m="$m indexed=$(( $(date +%s%3N) - t0 ))"
  accepted=$(( accepted + $(field ok "$m") ))
  results+=("$c|$h|$f|$m")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stored=$(psql -tA "$store_url" -c "SELECT count(*) FROM comments WHERE workflow_id = '$number/participation/1'")

echo
echo "Outside-in comment intake, $(date -u +%F), $(nproc) cores, ${seconds} s a measure, wrk -t2"
echo "decisionflow dev on Postgres, rate limits raised to 1,000,000/s; load average ${load_before} before, ${load_after} after"
echo
echo "| connections | healthz /s (p99 ms) | load-floor /s (p99 ms) | comments /s (p50, p99 ms) | comments / floor 2 | comments / floor 1 | refused, errors | cores busy, floor 2 → comments: dev, Postgres, wrk and rest | search index caught up after the flood |"
echo "|---|---|---|---|---|---|---|---|---|"
for r in "${results[@]}"; do
  IFS='|' read -r c h f m <<<"$r"
  hr=$(field rate "$h") fr=$(field rate "$f") mr=$(field rate "$m")
  printf '| %s | %s (%s) | %s (%s) | **%s** (%s, %s) | **%.2f** | %.2f | %s, %s | %s, %s, %s → %s, %s, %s | %s ms |\n' "$c" \
    "$hr" "$(field p99 "$h")" "$fr" "$(field p99 "$f")" "$mr" "$(field p50 "$m")" "$(field p99 "$m")" \
    "$(awk "BEGIN {print $mr/$fr}")" "$(awk "BEGIN {print $mr/$hr}")" "$(field other "$m")" "$(field errors "$m")" \
    "$(field dev "$f")" "$(field pg "$f")" "$(field rest "$f")" "$(field dev "$m")" "$(field pg "$m")" "$(field rest "$m")" "$(field indexed "$m")"
done
echo
echo "comments acknowledged (202): ${accepted}; stored: ${stored}; acknowledged but missing: $(( accepted > stored ? accepted - stored : 0 ))"
echo "(requests still in flight when a measure ends are stored without wrk counting their 202: stored may exceed acknowledged)"
[ "$stored" -ge "$accepted" ]
