#!/usr/bin/env bash
# GET /api/v1/cases/{id} throughput measured with wrk (a leaner client than the C++
# driver in api_throughput_bench.cpp), against the same 1M-case store.
#
#   bench/api_wrk.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
#   (defaults: build/bench 10 8; set YIZHAN_BENCH_CASES / YIZHAN_BENCH_DIR as for the benches)
#
# Starts `api_throughput_bench --serve` on a free port, runs wrk with random ids, then
# with the 10,000 most recent ids, then GET /healthz as the baseline, and stops the
# server it started.
set -euo pipefail
build=${1:-build/bench}
seconds=${2:-10}
connections=${3:-8}
bin="$build/bin/api_throughput_bench"
[[ -x $bin ]] || { echo "no $bin: build the benches first (see bench/RESULTS.md)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

cases=${YIZHAN_BENCH_CASES:-1000000}
log=$(mktemp)
lua=$(mktemp --suffix=.lua)
"$bin" --serve --server-threads="${SERVER_THREADS:-2}" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log" "$lua"' EXIT

# The server prints its address once the store is open (building it first if needed).
for _ in $(seq 1 3600); do
  grep -q '^serving' "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done
url=$(sed -n 's/^serving .* on \(http:[^ ]*\)$/\1/p' "$log")
[[ -n $url ]] || { cat "$log" >&2; exit 1; }

cat >"$lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. math.random(1, $cases))
end
LUA
echo "== wrk: GET /api/v1/cases/{id} ($cases cases, ${SERVER_THREADS:-2} server threads, $connections connections, ${seconds}s)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "$url"
# What counter staff mostly open: the 10,000 most recent cases (served from the
# hub's page cache once read, http/case_page_cache.hpp).
recent=$((cases < 10000 ? cases : 10000))
cat >"$lua" <<LUA
math.randomseed(43)
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. ($cases - math.random(0, $recent - 1)))
end
LUA
echo "== wrk: GET /api/v1/cases/{id}, the $recent most recent"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "$url"
echo "== wrk: baseline GET /healthz"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/healthz"
