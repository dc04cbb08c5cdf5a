#!/usr/bin/env bash
# Runs the product on a fresh machine: the server on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project src/NegotiationHub.Server -c Release -- --urls "${URLS:-http://127.0.0.1:5000}" "$@"
