#!/usr/bin/env bash
# `npm run bench`: install what is missing (nginx and wrk from Debian), build, run bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
export NEXT_TELEMETRY_DISABLED=1
ensure_node_modules
ensure_apt nginx-light wrk python3-venv
npm run build --silent >/dev/null
exec node --import tsx bench/run.ts
