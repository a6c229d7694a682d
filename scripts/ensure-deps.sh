#!/usr/bin/env bash
# Installs whatever this checkout still lacks, and nothing it already has. Sourced by up.sh and test.sh.
#   ensure_node_modules   npm packages (npm ci) and the generated Prisma client
#   ensure_apt PKG...     Debian packages (as root, or through sudo)
set -euo pipefail

need_node() {
  local have major minor
  have=$(node -p 'process.versions.node' 2>/dev/null) || { echo "Wheelhouse needs Node.js 20.19 or newer: install it first." >&2; exit 1; }
  major=${have%%.*}; minor=$(echo "$have" | cut -d. -f2)
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "Wheelhouse needs Node.js 20.19 or newer (found $have)." >&2; exit 1
  fi
}

ensure_node_modules() {
  need_node
  # npm writes node_modules/.package-lock.json on install: older than the lock file means stale.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> npm ci"
    npm ci --no-audit --no-fund
  fi
  if [ ! -f lib/generated/prisma/client.ts ] || [ prisma/schema.prisma -nt lib/generated/prisma/client.ts ]; then
    echo "==> prisma generate"
    bash scripts/prisma-generate.sh >/dev/null
  fi
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "==> apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
