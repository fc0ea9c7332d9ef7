#!/usr/bin/env bash
# Rebuilds web/dist/ (embedded in the gdr binary) from web/src/ with the
# pinned packages of package-lock.json. Commit dist/ with its sources.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
