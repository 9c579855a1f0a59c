#!/usr/bin/env bash
# Load benchmark of the web reader: `wrk` against `chancery serve` on 127.0.0.1.
#
#   bash bench/web-load.sh                        # ingest the 101-volume corpus into a temp archive, then measure
#   bash bench/web-load.sh --archive DIR          # reuse an archive that already holds the corpus
#   bash bench/web-load.sh --duration 30s --connections 16 --threads 2
#
# It starts `chancery serve` on a free port, reads each page once (the first read of a document builds the link
# graph), warms up for a few seconds, then runs wrk at 16 connections against
#   - a document page:  /volumes/frus1948v05p1/d202
#   - a search page:    /search?q=Dhahran           (hits, facets and snippets)
# and prints, per page, requests/s, p50, p99 and errors (socket errors and non-2xx answers), with the load average
# of the machine, against the targets of issue 6: document >= 2,000 req/s, search >= 500 req/s, p99 <= 100 ms.
# Corpus: the 6 volumes of ../shared/corpus/frus and the 95 of /tmp/frus-large/frus-large (or $CHANCERY_LARGE_CORPUS).
# Needs wrk (`apt-get install -y wrk`). Exit status: 0 when every target is met, 1 when one is missed, 2 on error.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 2

archive=""
duration="20s"
connections=16
threads=2
document_path="/volumes/frus1948v05p1/d202"
search_path="/search?q=Dhahran"
large="${CHANCERY_LARGE_CORPUS:-/tmp/frus-large/frus-large}"
shared="$(cd "$repo/.." && pwd)/shared/corpus/frus"

while [ $# -gt 0 ]; do
  case "$1" in
    --archive) archive="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --document) document_path="$2"; shift 2 ;;
    --search) search_path="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "web-load: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[web-load] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

command -v wrk >/dev/null 2>&1 || die "wrk is not installed (apt-get install -y wrk)"
command -v curl >/dev/null 2>&1 || die "curl is not installed"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/chancery-web-load.XXXXXX")" || die "mktemp failed"
server_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the archive ----------------------------------------------------------------------------------
if [ -z "$archive" ]; then
  [ -d "$shared" ] || die "no corpus at $shared"
  [ -d "$large" ] || die "no large corpus at $large (set CHANCERY_LARGE_CORPUS)"
  archive="$tmp/archive"
  volumes=$(( $(ls "$shared"/*.xml | wc -l) + $(ls "$large"/*.xml | wc -l) ))
  say "ingesting $volumes volumes into $archive"
  start=$SECONDS
  ./chancery --archive "$archive" ingest "$shared" "$large" >"$tmp/ingest.log" 2>&1 \
    || { tail -n 20 "$tmp/ingest.log" >&2; die "ingest failed"; }
  say "ingested in $((SECONDS - start)) s: $(tail -n 1 "$tmp/ingest.log")"
else
  [ -d "$archive" ] || die "no archive folder at $archive"
fi

# --- the server -----------------------------------------------------------------------------------
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')" \
  || die "no free port"
base="http://127.0.0.1:$port"
./chancery --archive "$archive" serve --urls "$base" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "$base/" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "serve exited"; }
  sleep 0.2
done
curl -fs -o /dev/null "$base/" || die "serve did not answer at $base"

for path in "$document_path" "$search_path"; do
  # the first document read builds the link graph of the whole archive; it is not part of the measurement
  code="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 600 "$base$path")"
  say "first GET $path: $code s"
  [ "${code%% *}" = "200" ] || die "$path answered ${code%% *}"
done

# --- wrk ------------------------------------------------------------------------------------------
# ms from a wrk latency figure: 850.00us, 12.34ms, 1.02s
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

status=0
run() {
  local name="$1" path="$2" target_rps="$3"
  wrk -t"$threads" -c"$connections" -d3s "$base$path" >/dev/null 2>&1   # warm-up: JIT, caches
  local out="$tmp/wrk-$name.txt"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base$path" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  local rps p50 p99 non2xx socket requests
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  requests="$(awk '/requests in/ {print $1}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  socket="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
  local errors=$(( ${non2xx:-0} + ${socket:-0} ))
  local verdict="met"
  if awk -v r="$rps" -v t="$target_rps" -v p="$p99" 'BEGIN { exit !(r < t || p > 100) }' || [ "$errors" -gt 0 ]; then
    verdict="MISSED"
    status=1
  fi
  printf '%-9s %-32s %10s req/s  p50 %8s ms  p99 %8s ms  requests %8s  errors %s  (target >= %s req/s, p99 <= 100 ms: %s)\n' \
    "$name" "$path" "$rps" "$p50" "$p99" "$requests" "$errors" "$target_rps" "$verdict"
}

say "wrk -t$threads -c$connections -d$duration --latency against $base (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
run document "$document_path" 2000
run search "$search_path" 500
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; archive $(du -sh "$archive" | cut -f1)"
exit "$status"
