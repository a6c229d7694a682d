#!/usr/bin/env bash
# Generates the Prisma client (JS + WASM, nothing downloaded). Prisma's CLI insists on a native
# schema engine it cannot download here; generate never uses it, so point it at a stub that fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/no-schema-engine.sh"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
exec npx --no-install prisma generate "$@"
