#!/usr/bin/env bash
# The contracts as client generators read them: a TypeScript client from openapi/openapi.json
# (openapi-typescript) and GraphQL types from schema.graphql (graphql-codegen) must compile with
# `tsc --strict` against the small programs in ci/clients/ (no casts), and the OpenAPI
# document must pass Spectral's `spectral:oas` ruleset with no errors. Tools are npm packages,
# pinned, installed once under ~/.cache.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(typescript@5.9.3 openapi-typescript@7.13.0 graphql@16.15.0 @graphql-codegen/cli@6.1.0
  @graphql-codegen/typescript@5.0.0 @graphql-codegen/typescript-operations@5.0.0
  @stoplight/spectral-cli@6.16.3)
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/rapport-contract-clients-$(printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -c1-12)"
if [ ! -x "$TOOLS/node_modules/.bin/tsc" ] || [ ! -x "$TOOLS/node_modules/.bin/spectral" ]; then
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --silent --no-audit --no-fund "${PACKAGES[@]}"
fi
BIN="$TOOLS/node_modules/.bin"
# The programs import their types from ci/clients/generated (ignored by git); the GraphQL
# generator resolves its plugins from the tools' node_modules.
export NODE_PATH="$TOOLS/node_modules"

echo "-- spectral (spectral:oas)"
RULES=$(mktemp --suffix=.yaml)
trap 'rm -f "$RULES"' EXIT
echo 'extends: ["spectral:oas"]' >"$RULES"
"$BIN/spectral" lint --ruleset "$RULES" --fail-severity error --display-only-failures \
  openapi/openapi.json

echo "-- openapi-typescript"
mkdir -p ci/clients/generated
"$BIN/openapi-typescript" openapi/openapi.json -o ci/clients/generated/openapi.ts

echo "-- graphql-codegen"
(cd ci/clients && "$BIN/graphql-codegen" --config codegen.yml --silent)

echo "-- tsc --strict"
"$BIN/tsc" --strict -p ci/clients/tsconfig.json
echo "TypeScript clients compile"
