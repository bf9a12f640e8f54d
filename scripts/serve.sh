#!/usr/bin/env bash
# Builds the release package and serves the app at http://127.0.0.1:PORT/.
#
#   ./scripts/serve.sh [port]        (default: $PORT, else 8000; Ctrl-C stops)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
port="${1:-${PORT:-8000}}"
. scripts/setup.sh
./scripts/build.sh
echo "== serve: open http://127.0.0.1:$port/"
exec node scripts/serve.mjs "$port"
