#!/usr/bin/env bash
# `npm test`: install what is missing (npm packages, Debian's Chromium, pip/twine tooling), then run
# every test: type check and lint, unit and integration tests (vitest, real PostgreSQL), a production
# build, and the end-to-end and real-client tests (Playwright in Chromium, pip and twine).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
export NEXT_TELEMETRY_DISABLED=1
ensure_node_modules
ensure_apt chromium twine python3-venv python3-build python3-setuptools python3-wheel python3-readme-renderer
mkdir -p .data/test-results
rm -f .data/test-results/*.json

status=0
echo "==> typecheck"; npx --no-install tsc --noEmit -p tsconfig.json || status=1
echo "==> lint"; npx --no-install eslint . || status=1
echo "==> format (npm run format fixes it)"; npx --no-install prettier --check --log-level warn . || status=1
echo "==> unit and integration tests"
npx --no-install vitest run --reporter=default --reporter=json --outputFile=.data/test-results/unit.json || status=1
echo "==> production build"
npm run build --silent || { echo "build failed: end-to-end tests cannot run" >&2; exit 1; }
echo "==> end-to-end and real-client tests"
PLAYWRIGHT_JSON_OUTPUT_NAME=.data/test-results/e2e.json npx --no-install playwright test --reporter=list,json || status=1
node scripts/test-summary.mjs .data/test-results/unit.json .data/test-results/e2e.json || status=1
exit $status
