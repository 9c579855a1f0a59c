#!/usr/bin/env bash
# Load benchmark of the web reader: `wrk` against `chancery serve` on 127.0.0.1.
#
#   bash bench/web-load.sh                        # ingest the 101-volume corpus into a temp archive, then measure
#   bash bench/web-load.sh --archive DIR          # reuse an archive that already holds the corpus
#   bash bench/web-load.sh --duration 30s --connections 16 --threads 2 --page-cache on
#
# It starts `chancery serve` on a free port and runs wrk at 16 connections (bench/web-load.lua: each request takes
# the next address of a list, so a run spreads over many pages, not one URL) against
#   - document pages: --documents N pages (1,000) spread evenly over every volume of the archive (every k-th
#     document of the contents, as the API lists them);
#   - search pages:   every query of bench/queries/corpus-queries.txt as /search?q=… (hits, facets and snippets).
# --document PATH / --search PATH measure one address instead (the figures before the page cache were taken on
# /volumes/frus1948v05p1/d202 and /search?q=Dhahran).
# --page-cache both (default) measures twice, on two servers:
#   on:  the page cache as shipped (64 MB), warm: every address is read once before the measurement;
#   off: `Chancery__PageCacheMegabytes=0`, every request renders; the documents are then all documents of the
#        archive in a shuffled order, so even SQLite's own cache sees a new document on almost every request.
# It prints, per run, requests/s, p50, p99 and errors (socket errors and non-2xx answers), with the load average of
# the machine, against the targets of issue 6: document >= 2,000 req/s, search >= 500 req/s, p99 <= 100 ms.
# Corpus: the 6 volumes of ../shared/corpus/frus and the 95 of /tmp/frus-large/frus-large (or $CHANCERY_LARGE_CORPUS).
# Needs wrk (`apt-get install -y wrk`), curl and python3. Exit status: 0 when every target is met by the runs with
# the page cache on (the runs with it off are reported alongside), 1 when one is missed, 2 on error.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 2

archive=""
duration="20s"
connections=16
threads=2
documents=1000
page_cache="both"
document_path=""
search_path=""
queries="$repo/bench/queries/corpus-queries.txt"
script="$repo/bench/web-load.lua"
large="${CHANCERY_LARGE_CORPUS:-/tmp/frus-large/frus-large}"
shared="$(cd "$repo/.." && pwd)/shared/corpus/frus"

while [ $# -gt 0 ]; do
  case "$1" in
    --archive) archive="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --documents) documents="$2"; shift 2 ;;
    --page-cache) page_cache="$2"; shift 2 ;;
    --document) document_path="$2"; shift 2 ;;
    --search) search_path="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "web-load: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$page_cache" in both|on|off) ;; *) echo "web-load: --page-cache takes both, on or off" >&2; exit 2 ;; esac

say() { printf '[web-load] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

command -v wrk >/dev/null 2>&1 || die "wrk is not installed (apt-get install -y wrk)"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed"
[ -f "$script" ] || die "no wrk script at $script"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/chancery-web-load.XXXXXX")" || die "mktemp failed"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  server_pid=""
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
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
base=""
# start_server [ENV=VALUE...]: `chancery serve` on a free port, with extra environment; sets base and server_pid
start_server() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')" \
    || die "no free port"
  base="http://127.0.0.1:$port"
  env "$@" ./chancery --archive "$archive" serve --urls "$base" >"$tmp/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$base/" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "serve exited"; }
    sleep 0.2
  done
  curl -fs -o /dev/null "$base/" || die "serve did not answer at $base"
}

# --- the addresses --------------------------------------------------------------------------------
# every document the public may read, in contents order, from the JSON API; then the spread and the shuffled lists
start_server
say "listing documents from $base/api/v1/volumes"
python3 - "$base" "$tmp" "$documents" "$queries" <<'PY' || die "could not list the documents and queries"
import json, random, sys, urllib.parse, urllib.request
base, tmp, wanted, queries = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def get(path):
    with urllib.request.urlopen(base + path, timeout=600) as r:
        return json.load(r)
docs = []
for v in get("/api/v1/volumes")["volumes"]:
    contents = get(v["api"])["contents"]
    docs += ["/volumes/%s/%s" % (v["id"], e["documentId"].split("#", 1)[1]) for e in contents if e.get("documentId")]
if not docs:
    sys.exit("the archive holds no documents")
step = max(1, len(docs) // wanted)
spread = docs[::step][:wanted]
shuffled = docs[:]
random.Random(6).shuffle(shuffled)
seen, searches = set(), []
for line in open(queries, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        continue
    q = line.split("\t")[0]
    if q not in seen:
        seen.add(q)
        searches.append("/search?q=" + urllib.parse.quote(q, safe=""))
for name, paths in (("documents-spread", spread), ("documents-all", shuffled), ("searches", searches)):
    with open("%s/%s.txt" % (tmp, name), "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
print("%d documents (%d in the spread), %d queries" % (len(docs), len(spread), len(searches)), file=sys.stderr)
PY
if [ -n "$document_path" ]; then printf '%s\n' "$document_path" >"$tmp/documents-spread.txt"; cp "$tmp/documents-spread.txt" "$tmp/documents-all.txt"; fi
if [ -n "$search_path" ]; then printf '%s\n' "$search_path" >"$tmp/searches.txt"; fi
# the first read of a document builds the link graph of the whole archive; it is not part of the measurement
first="$(head -n 1 "$tmp/documents-spread.txt")"
code="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 600 "$base$first")"
say "first GET $first: $code s"
[ "${code%% *}" = "200" ] || die "$first answered ${code%% *}"
stop_server

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
# run NAME CACHE LIST TARGET: wrk over the addresses in LIST; CACHE on also reads every address once first
run() {
  local name="$1" cache="$2" list="$3" target_rps="$4"
  local count
  count="$(wc -l <"$list")"
  if [ "$cache" = "on" ]; then
    # warm: every address once (4 at a time), so the measurement reads kept pages
    sed "s|^|$base|" "$list" | xargs -P 4 -I{} curl -s -o /dev/null --max-time 600 {} || true
  fi
  wrk -t"$threads" -c"$connections" -d3s -s "$script" "$base" -- "$list" "$threads" >/dev/null 2>&1   # warm-up: JIT
  local out="$tmp/wrk-$name-$cache.txt"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$base" -- "$list" "$threads" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed"; }
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
    [ "$cache" = "on" ] && status=1
  fi
  printf '%-9s page cache %-3s %6s addresses %10s req/s  p50 %8s ms  p99 %8s ms  requests %8s  errors %s  (target >= %s req/s, p99 <= 100 ms: %s)\n' \
    "$name" "$cache" "$count" "$rps" "$p50" "$p99" "$requests" "$errors" "$target_rps" "$verdict"
}

say "wrk -t$threads -c$connections -d$duration --latency -s bench/web-load.lua (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$page_cache" != "off" ]; then
  start_server
  run document on "$tmp/documents-spread.txt" 2000
  run search on "$tmp/searches.txt" 500
  stop_server
fi
if [ "$page_cache" != "on" ]; then
  start_server Chancery__PageCacheMegabytes=0
  run document off "$tmp/documents-all.txt" 2000
  run search off "$tmp/searches.txt" 500
  stop_server
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; archive $(du -sh "$archive" | cut -f1)"
exit "$status"
