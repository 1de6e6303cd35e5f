#!/usr/bin/env bash
# The web console (console/, served at /console): installs its dependencies from the lock
# file, checks every GraphQL operation against schema.graphql (graphql-codegen) and the
# TypeScript (strict), rebuilds it and fails when the committed generated types or built
# files (api/assets/console/) differ, then runs the browser tests: Debian's Chromium driven by
# playwright-core against `rapport serve` on a fresh demo workspace (SQLite, loopback).
# Screenshots and measurements land in target/console-screenshots/.
#
#   scripts/console-check.sh [path/to/rapport]     (default target/debug/rapport, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/rapport}"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

echo "console: npm ci"
(cd console && npm ci --no-audit --no-fund --loglevel=error)

echo "console: codegen against schema.graphql, typecheck"
(cd console && npm run --silent codegen >/dev/null && npm run --silent typecheck)

echo "console: rebuild and compare with the committed files"
BUILD_DIR="$(mktemp -d)"
trap 'rm -rf "$BUILD_DIR"' EXIT
(cd console && npx vite build --outDir "$BUILD_DIR/console" --emptyOutDir --logLevel warn)
if ! diff -r "$BUILD_DIR/console" api/assets/console; then
  echo "FATAL: the console's committed build (api/assets/console) differs from a rebuild:" >&2
  echo "       run 'npm ci && npm run build' in console/ and commit api/assets/console" >&2
  exit 1
fi
gzip_bytes=$(cat api/assets/console/assets/*.js | gzip -9 | wc -c)
echo "console: initial JavaScript ${gzip_bytes} bytes gzipped"
[ "$gzip_bytes" -lt 256000 ] || { echo "FATAL: the console's JavaScript is over 250 KB gzipped" >&2; exit 1; }

if [ ! -x /usr/bin/chromium ]; then
  echo "console: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x "$BIN" ]; then
  cargo build --bin rapport
fi

echo "console: browser tests"
mkdir -p target/console-screenshots
RAPPORT_BIN="$BIN" node --test --test-concurrency=1 --test-timeout=600000 console/tests/browser.test.mjs
