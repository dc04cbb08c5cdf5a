#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs (NuGet restore, npm packages,
# Debian chromium and postgresql), runs every suite (xunit on SQLite, the integration suites again
# on a private loopback PostgreSQL, browser unit + end-to-end), and ends with one line
# "N passed, N failed, N skipped" summed over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log_dir=${TEST_LOG_DIR:-$root/artifacts/test-logs}
mkdir -p "$log_dir"

passed=0; failed=0; skipped=0; status=0

add_counts() { # file with dotnet test output
  while read -r f p s; do
    failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
  done < <(grep -aoE 'Failed:[[:space:]]+[0-9]+, Passed:[[:space:]]+[0-9]+, Skipped:[[:space:]]+[0-9]+' "$1" \
           | sed -E 's/Failed:[[:space:]]+([0-9]+), Passed:[[:space:]]+([0-9]+), Skipped:[[:space:]]+([0-9]+)/\1 \2 \3/')
}

echo "== restore and build"
if ! dotnet build NegotiationHub.sln -c Release 2>&1 | tee "$log_dir/build.log" | tail -n 3; then status=1; fi
if grep -qE ' error |Build FAILED' "$log_dir/build.log"; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

run_suite() { # label log command...: runs one dotnet test, shows its failures, adds its counts
  local label=$1 log=$2 rc
  shift 2
  echo "-- $label"
  "$@" > "$log" 2>&1
  rc=$?
  grep -aE 'Failed |Passed!|Failed!|error' "$log" | grep -v '^ *Passed ' | tail -n 40
  # What each failure said, so a CI log alone can explain it (the full log stays in $log_dir).
  grep -aE -A 12 '^ *Error Message:' "$log" | head -n 80
  add_counts "$log"
  if [ $rc -ne 0 ]; then
    status=1
    if ! grep -qaE 'Failed:[[:space:]]+[0-9]+, Passed' "$log"; then
      echo "$label did not report results (crashed?):"; tail -n 30 "$log"; failed=$((failed + 1))
    fi
  fi
}

free_port() { # a loopback port nothing listens on
  local port
  for port in $(shuf -i 40000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# dotnet ef, pinned in .config/dotnet-tools.json (ADR 0013): each provider's migrations are
# what the tool itself would write for today's model — no migration is missing.
echo "== dotnet ef: the migrations match the model"
if dotnet tool restore > "$log_dir/dotnet-ef.log" 2>&1; then
  for provider in Sqlite Postgres; do
    if (cd "migrations/NegotiationHub.Migrations.$provider" && dotnet ef migrations has-pending-model-changes --no-build --configuration Release) >> "$log_dir/dotnet-ef.log" 2>&1; then
      passed=$((passed + 1))
    else
      echo "dotnet ef: the $provider model has changes without a migration (see dotnet-ef.log)"; failed=$((failed + 1)); status=1
    fi
  done
else
  echo "dotnet tool restore failed:"; tail -n 20 "$log_dir/dotnet-ef.log"; failed=$((failed + 1)); status=1
fi

echo "== xunit suites (SQLite)"
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  run_suite "$name" "$log_dir/$name.log" dotnet test "$project" -c Release --no-build
done

# The integration suites once more on PostgreSQL (ADR 0008): a private server on loopback, one
# database per test server, tests about SQLite itself filtered out by their trait. A server that
# cannot be installed or started is a failure, not a skip.
echo "== integration suites on PostgreSQL (NH_TEST_DATABASE=postgres)"
pg_started=$SECONDS
pg_dir=$(mktemp -d /tmp/nh-postgres-XXXXXX)
: > "$log_dir/postgres.log"
trap 'bash scripts/postgres.sh stop "$pg_dir" > /dev/null 2>&1; rm -rf "$pg_dir" "$pg_dir.initdb.log"' EXIT
if pg_port=$(free_port) && pg_connection=$(bash scripts/postgres.sh start "$pg_dir" "$pg_port" 2> "$log_dir/postgres.log"); then
  for name in NegotiationHub.Data.Tests NegotiationHub.Server.Tests; do
    run_suite "$name (PostgreSQL)" "$log_dir/$name.postgres.log" \
      env NH_TEST_DATABASE=postgres NH_TEST_POSTGRES="$pg_connection" \
      dotnet test "tests/$name/$name.csproj" -c Release --no-build --filter "Database!=SqliteOnly"
  done
else
  echo "PostgreSQL could not be installed or started:"; tail -n 30 "$log_dir/postgres.log"
  failed=$((failed + 1)); status=1
fi
echo "PostgreSQL run: $((SECONDS - pg_started)) s"

echo "== browser client (unit + end-to-end in headless Chromium)"
bash scripts/test-web.sh 2>&1 | tee "$log_dir/web.log" | tail -n 25
web_rc=${PIPESTATUS[0]}
web_line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log_dir/web.log" | tail -n 1)
if [ -n "$web_line" ]; then
  passed=$((passed + $(echo "$web_line" | awk '{print $1}')))
  failed=$((failed + $(echo "$web_line" | awk '{print $3}' | tr -d ',')))
else
  failed=$((failed + 1))
fi
[ "$web_rc" -ne 0 ] && status=1

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ $status -eq 0 ] && [ $failed -eq 0 ]
