#!/usr/bin/env bash
# `npm run up`: install what is missing, build, and serve Wheelhouse on http://localhost:${PORT:-3000}.
# The database is prepared by the server itself at start (embedded PostgreSQL unless DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
export NEXT_TELEMETRY_DISABLED=1
ensure_node_modules
echo "==> build (Next.js app and the compiled server)"
npm run build --silent
echo "==> starting Wheelhouse"
exec npm start --silent
