#!/usr/bin/env bash
# Runs the product on a fresh machine: the server with the browser client on an embedded SQLite
# database (src/NegotiationHub.Server/data/), on http://127.0.0.1:5000. On first start it seeds
# the demo 3+1 session and demo accounts and prints the logins.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project src/NegotiationHub.Server -c Release -- --demo --urls "${URLS:-http://127.0.0.1:5000}" "$@"
