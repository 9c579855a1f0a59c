#!/usr/bin/env bash
# The one command that installs what the tests need and runs every test in Chancery.slnx.
#
#   bash scripts/test-all.sh                     # everything
#   bash scripts/test-all.sh --filter "FullyQualifiedName~Postgres"   # extra args go to `dotnet test`
#
# What it does:
#   1. installs PostgreSQL and Chromium with apt-get when they are missing (no apt-get at all when present);
#   2. starts a throwaway PostgreSQL cluster in a temp folder on 127.0.0.1 at a free port, creates
#      database chancery_test and exports CHANCERY_TEST_POSTGRES for the tests;
#   3. exports CHANCERY_TEST_CHROMIUM=/usr/bin/chromium and XDG_CONFIG_HOME (a temp folder);
#   4. runs `dotnet test Chancery.slnx -c Release` with a TRX logger;
#   5. prints, as the last line, `N passed, N failed[, N skipped]` counted from the TRX files.
# The cluster is stopped and the temp folder removed on exit, also on failure or Ctrl-C.
# Exit status: non-zero when the build failed, a test failed, or no test ran.
# TRX files are kept in TestResults/test-all/ (git-ignored). See docs/testing.md.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 1

export DEBIAN_FRONTEND=noninteractive
export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '[test-all] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- 1. packages ------------------------------------------------------------------------------
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo_cmd=(sudo -n)
fi

find_pg_bin() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$initdb" ] && dirname "$initdb"
}

missing=()
[ -n "$(find_pg_bin)" ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)   # axe-core for the accessibility test
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]} (apt-get update + install)"
  "${sudo_cmd[@]}" apt-get update -q </dev/null || die "apt-get update failed"
  "${sudo_cmd[@]}" apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null || die "apt-get install ${missing[*]} failed"
fi
pg_bin="$(find_pg_bin)" || true
[ -n "$pg_bin" ] || die "PostgreSQL is still not installed (no /usr/lib/postgresql/*/bin/initdb)"
[ -x /usr/bin/chromium ] || die "Chromium is still not installed (no /usr/bin/chromium)"
command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH (the .NET SDK from global.json is needed)"

# --- 2. throwaway PostgreSQL cluster ------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/chancery-test.XXXXXX")" || die "mktemp failed"
chmod 755 "$tmp"    # user postgres must be able to reach its folders inside
pgdata="$tmp/pg/data"
pgsock="$tmp/pg/sock"
pglog="$tmp/pg/server.log"
pg_started=""

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ -n "$pg_started" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 \
      || as_pg "$pg_bin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  fi
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  return 1
}

mkdir -p "$pgdata" "$pgsock"
[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$tmp/pg"
say "creating a throwaway PostgreSQL cluster ($pg_bin) in $tmp/pg"
as_pg "$pg_bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }

for attempt in 1 2 3 4 5; do
  port="$(free_port)" || die "no free TCP port found"
  if as_pg "$pg_bin/pg_ctl" -D "$pgdata" -l "$pglog" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $pgsock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null 2>&1; then
    pg_started=1
    break
  fi
  say "PostgreSQL did not start on port $port (attempt $attempt)"
  tail -n 5 "$pglog" >&2 2>/dev/null || true
done
[ -n "$pg_started" ] || die "could not start PostgreSQL"

as_pg "$pg_bin/psql" -X -q -h "$pgsock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c 'CREATE DATABASE chancery_test' </dev/null || die "could not create database chancery_test"
export CHANCERY_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/chancery_test"
say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') at $CHANCERY_TEST_POSTGRES"

# --- 3. Chromium --------------------------------------------------------------------------------
export CHANCERY_TEST_CHROMIUM=/usr/bin/chromium
export XDG_CONFIG_HOME="$tmp/xdg-config"
mkdir -p "$XDG_CONFIG_HOME"

# --- 4. dotnet test -----------------------------------------------------------------------------
results="$repo/TestResults/test-all"
rm -rf "$results"
mkdir -p "$results"
say "dotnet test Chancery.slnx -c Release (TRX files in ${results#"$repo"/})"
# LogFilePrefix, not LogFileName: with a fixed LogFileName every test project of the solution writes the
# same file and only the last one survives (microsoft/vstest#15673); with a prefix the TRX logger adds the
# framework and a timestamp and picks a name no other test project has taken, so each gets its own file.
dotnet test Chancery.slnx -c Release \
  --logger "trx;LogFilePrefix=chancery" \
  --results-directory "$results" "$@" </dev/null
test_rc=$?

# --- 5. count results from the TRX files --------------------------------------------------------
count_trx() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = files = bad_runs = 0
PASS = {"Passed", "PassedButRunAborted", "Warning", "Completed"}
SKIP = {"NotExecuted", "Inconclusive", "NotRunnable", "Pending"}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"[test-all] cannot read {path}: {e}", file=sys.stderr)
        bad_runs += 1
        continue
    files += 1
    # top-level results only; data-driven InnerResults are not counted twice
    for results in root.iter(ns + "Results"):
        for r in results.findall(ns + "UnitTestResult"):
            outcome = r.get("outcome", "")
            if outcome in PASS:
                passed += 1
            elif outcome in SKIP:
                skipped += 1
            else:
                failed += 1
        break
    summary = root.find(ns + "ResultSummary")
    if summary is not None and summary.get("outcome") in ("Failed", "Aborted", "Error", "Timeout"):
        bad_runs += 1
print(passed, failed, skipped, files, bad_runs)
PY
  else
    # fallback without python3: sum the <Counters> attributes
    local p=0 f=0 s=0 n=0 c v
    for t in $(find "$1" -name '*.trx'); do
      c="$(grep -o '<Counters [^>]*' "$t")"
      n=$((n + 1))
      v=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c"); p=$((p + ${v:-0}))
      for a in failed error timeout aborted; do
        v=$(sed -n "s/.* $a=\"\\([0-9]*\\)\".*/\\1/p" <<<"$c"); f=$((f + ${v:-0}))
      done
      v=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$c"); s=$((s + ${v:-0}))
    done
    echo "$p $f $s $n 0"
  fi
}

read -r n_passed n_failed n_skipped n_files n_badruns < <(count_trx "$results") || true
n_passed=${n_passed:-0} n_failed=${n_failed:-0} n_skipped=${n_skipped:-0} n_files=${n_files:-0} n_badruns=${n_badruns:-0}

status=0
if [ "$test_rc" -ne 0 ]; then
  say "dotnet test exited with $test_rc (build failure, failing test or crashed test host: see above)"
  status=1
fi
if [ "$n_badruns" -gt 0 ] && [ "$n_failed" -eq 0 ]; then
  say "$n_badruns test run(s) reported a failed or aborted run"
  status=1
fi
if [ $((n_passed + n_failed)) -eq 0 ]; then
  say "no test ran ($n_files TRX file(s) found)"
  status=1
fi
[ "$n_failed" -gt 0 ] && status=1

line="$n_passed passed, $n_failed failed"
[ "$n_skipped" -gt 0 ] && line="$line, $n_skipped skipped"
echo "$line"
exit "$status"
