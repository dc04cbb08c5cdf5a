#!/usr/bin/env bash
# The browser client's tests: unit tests (node --test) and end-to-end tests in headless Debian
# Chromium (playwright-core) against the real server started here with --demo on a free loopback
# port and a temporary SQLite database. Ends with one line "N passed, N failed"; non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
client=src/NegotiationHub.Server/ClientApp
log_dir=${TEST_LOG_DIR:-$root/artifacts/test-logs}
export NH_SCREENSHOTS=$root/artifacts/screenshots
mkdir -p "$log_dir" "$NH_SCREENSHOTS"
passed=0; failed=0; server_pid=""; tmp=$(mktemp -d)

finish() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap finish EXIT
fail_setup() { echo "$1"; failed=$((failed + 1)); echo "$passed passed, $failed failed"; exit 1; }
count() { # node --test spec output → passed/failed
  passed=$((passed + $(grep -aE '^ℹ pass [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')))
  failed=$((failed + $(grep -aE '^ℹ fail [0-9]+' "$1" | awk '{s+=$3} END {print s+0}')))
}

echo "== chromium"
if [ ! -x /usr/bin/chromium ]; then
  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) > "$log_dir/apt-chromium.log" 2>&1 \
    || fail_setup "could not install chromium (see $log_dir/apt-chromium.log)"
fi

# Best effort: CJK fonts so the zh-CN screenshots show glyphs rather than boxes (tests pass without).
if ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk >> "$log_dir/apt-chromium.log" 2>&1 || echo "(no CJK fonts; screenshots will show boxes for Chinese)"
fi

echo "== npm ci"
(cd "$client" && npm ci --no-audit --no-fund) > "$log_dir/npm-ci.log" 2>&1 || fail_setup "npm ci failed (see $log_dir/npm-ci.log)"

echo "== unit tests"
(cd "$client" && npm test) > "$log_dir/web-unit.log" 2>&1
unit_rc=$?
grep -aE '^✖|^ℹ (pass|fail)' "$log_dir/web-unit.log"
count "$log_dir/web-unit.log"
if [ $unit_rc -ne 0 ] && ! grep -qaE '^ℹ fail' "$log_dir/web-unit.log"; then echo "unit tests did not run:"; tail -20 "$log_dir/web-unit.log"; failed=$((failed + 1)); fi

echo "== build server (Release)"
dotnet build src/NegotiationHub.Server/NegotiationHub.Server.csproj -c Release > "$log_dir/web-build.log" 2>&1 \
  || { tail -20 "$log_dir/web-build.log"; fail_setup "server build failed"; }

echo "== start server"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
(cd src/NegotiationHub.Server && Database__SqlitePath="$tmp/db.sqlite" RateLimits__Models__SignInPermitLimit=1000 Auth__RequireTwoFactorFor=Admin \
  exec dotnet bin/Release/net10.0/NegotiationHub.Server.dll --demo --urls "$base") > "$log_dir/web-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fs "$base/health" > /dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { tail -30 "$log_dir/web-server.log"; fail_setup "server exited"; }
  sleep 0.5
done
curl -fs "$base/health" > /dev/null || fail_setup "server did not become healthy at $base"

echo "== e2e tests ($base)"
(cd "$client" && NH_BASE_URL=$base npm run e2e) > "$log_dir/web-e2e.log" 2>&1
e2e_rc=$?
grep -aE '^✔|^✖|^ℹ (pass|fail)' "$log_dir/web-e2e.log"
count "$log_dir/web-e2e.log"
if [ $e2e_rc -ne 0 ]; then
  grep -qaE '^ℹ fail' "$log_dir/web-e2e.log" || { echo "e2e tests did not run:"; tail -20 "$log_dir/web-e2e.log"; failed=$((failed + 1)); }
  sed -n '/failing tests:/,$p' "$log_dir/web-e2e.log" | head -60
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ $unit_rc -eq 0 ] && [ $e2e_rc -eq 0 ]
