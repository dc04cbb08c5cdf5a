#!/usr/bin/env bash
# The hub load test of PRODUCT.md ("Performance targets"): starts the Release server on loopback
# with a temporary SQLite database and the bare echo hub enabled, runs the load driver
# (src/NegotiationHub.Bots `load`) against the negotiation hub and then, in the same run and on
# the same server, against the echo hub (the floor), and prints one Markdown table.
#
#   bash scripts/load.sh                         # the target: 250 sessions × 4 parties, 1 bid/s/party
#   SESSIONS=3 bash scripts/load.sh              # a quick look
#   SERVER_LOG=/tmp/server.log bash scripts/load.sh   # keep the server's log
#   LATENCY_DIR=/tmp/lat bash scripts/load.sh          # keep every latency sample as CSV
#   SERVER_ENV='DOTNET_gcServer=1' bash scripts/load.sh  # extra environment for the server only (experiments)
#   DRIVER_ENV='DOTNET_GCgen0size=0x800000' bash scripts/load.sh  # and for the load driver only
#   PAIRS=3 bash scripts/load.sh                 # 3 negotiation/echo pairs in turn, each pair's ratios and their medians
#
# Bounded: every driver run stops its traffic after TIMEOUT seconds, the server is stopped on
# exit, and all traffic goes to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-250}
PARTIES=${PARTIES:-4}
BID_INTERVAL=${BID_INTERVAL:-1s}
RAMP=${RAMP:-1s}                 # the sessions' first rounds open spread over this long; 0: all at once (one burst)
MAX_ROUNDS=${MAX_ROUNDS:-40}     # negotiation sessions end at agreement (λ = 0.3: about 16 rounds); this only bounds them
ECHO_ROUNDS=${ECHO_ROUNDS:-16}   # echo groups have no agreement: run about as many rounds as a session takes
LAMBDA=${LAMBDA:-0.3}
TIMEOUT=${TIMEOUT:-150}
WARMUP_SESSIONS=${WARMUP_SESSIONS:-50}   # run to the end first in each driver process, unmeasured (0: measure cold)
PORT=${PORT:-5390}
URL="http://127.0.0.1:$PORT"

dotnet build src/NegotiationHub.Server -c Release -v quiet -nologo >/dev/null
dotnet build src/NegotiationHub.Bots -c Release -v quiet -nologo >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/nh-load.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${SERVER_LOG:-}" ]; then cp "$work/server.log" "$SERVER_LOG" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is in use (another load run?); set PORT=…" >&2; exit 1
fi

admin_password="load-keeper-$RANDOM-1" # the policy refuses a password containing the user name
# Limits: the defaults are kept and suffice, and are set here so the run does not depend on
# appsettings: each member connection makes about 1 hub call per second and each coordinator
# connection (10 sessions) about 10, under Hub:InvocationsPerSecond = 20; each driver run signs in
# 6 times, under RateLimits:Models:SignInPermitLimit = 30 per minute. Information logging (a line
# per round closed) is turned down to Warning so the console does not compete for the 2 cores.
Database__Provider=Sqlite \
Database__SqlitePath="$work/load.db" \
Admin__UserName=admin \
Admin__Password="$admin_password" \
Hub__EnableEchoHub=true \
Hub__InvocationsPerSecond=20 \
RateLimits__Models__SignInPermitLimit=30 \
Logging__LogLevel__Default=Warning \
  env ${SERVER_ENV:-} dotnet src/NegotiationHub.Server/bin/Release/net10.0/NegotiationHub.Server.dll \
  --contentRoot "$(pwd)/src/NegotiationHub.Server" --urls "$URL" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -sf "$URL/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "the server did not start:"; cat "$work/server.log"; exit 1; fi
  sleep 0.5
done

bots=(env ${DRIVER_ENV:-} dotnet src/NegotiationHub.Bots/bin/Release/net10.0/NegotiationHub.Bots.dll load --server "$URL"
      --sessions "$SESSIONS" --parties "$PARTIES" --bid-interval "$BID_INTERVAL" --ramp "$RAMP" --lambda "$LAMBDA"
      --warmup-sessions "$WARMUP_SESSIONS"
      --admin-user admin --admin-password "$admin_password" --server-pid "$server_pid" --timeout "$TIMEOUT")

# Warm-up, not measured: a fresh process runs its first seconds largely in unoptimized (tier-0)
# code while the JIT's tiering thread recompiles the hot paths, which on 2 cores takes a third of
# the CPU. A long-running server is past that, and the table should be too — and so should the
# driver, whose cold start competes for the same 2 cores. So each driver run first runs
# WARMUP_SESSIONS sessions (echo groups) to the end in its own process, then the measured ones.
negotiation_csv=(); echo_csv=()
if [ -n "${LATENCY_DIR:-}" ]; then   # keep every latency sample (sent_s, round, latency_ms) for a closer look
  mkdir -p "$LATENCY_DIR"; negotiation_csv=(--latency-csv "$LATENCY_DIR/negotiation.csv"); echo_csv=(--latency-csv "$LATENCY_DIR/echo.csv")
fi
status=0
if [ "${PAIRS:-0}" -gt 0 ]; then
  # One driver process runs the pairs in turn (negotiation, echo, negotiation, …) and prints the
  # rows and then each pair's ratios and their medians; only its first run of each hub warms up.
  "${bots[@]}" --max-rounds "$MAX_ROUNDS" --echo-rounds "$ECHO_ROUNDS" --pairs "$PAIRS" "${negotiation_csv[@]}" --table-header >"$work/negotiation.md" || status=$?
  : >"$work/echo.md"
else
  "${bots[@]}" --max-rounds "$MAX_ROUNDS" "${negotiation_csv[@]}" --table-header >"$work/negotiation.md" || status=$?
  "${bots[@]}" --max-rounds "$ECHO_ROUNDS" --echo "${echo_csv[@]}" >"$work/echo.md" || status=$?
fi

echo
echo "Load: $SESSIONS sessions × $PARTIES parties, a bid about every $BID_INTERVAL per party, first rounds over $RAMP, on $(nproc) cores ($(uname -m)), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
cat "$work/negotiation.md" "$work/echo.md"
if grep -qiE 'error|exception' "$work/server.log"; then
  echo; echo "server log (errors):"; grep -iE -A3 'error|exception' "$work/server.log" | head -n 40
fi
exit $status
