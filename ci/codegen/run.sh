#!/usr/bin/env bash
# Typed client: GraphQL Code Generator (client preset; versions pinned by
# package-lock.json) generates TypeScript from ../../schema.graphql and the
# operations in src/operations.ts; tsc --strict compiles the sample front-end
# (src/, plain fetch), which then signs in to a fresh Steward (SQLite,
# development mode, demo tenant), loads a dashboard page, creates an account
# and reads it back. check-negative.mjs first shows the checks can fail: tsc
# must reject negative/must-fail.ts, codegen negative/unknown-field.graphql.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
npm ci --no-audit --no-fund --silent
rm -rf src/generated negative/generated dist
# Generated from the schema on every run (gitignored), so never stale.
if ! out="$(node_modules/.bin/graphql-codegen --config codegen.ts 2>&1)"; then
  echo "$out"; echo "FAIL codegen"; exit 1
fi
node_modules/.bin/tsc -p tsconfig.json --pretty false
echo "  ok   codegen + tsc --strict"
node check-negative.mjs
(cd "$root" && cargo build -q -p steward)
data="$(mktemp -d)"
port=18786
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
for v in $(env | grep -o '^STEWARD_[A-Z_]*'); do unset "$v"; done
STEWARD_DATA_DIR="$data" STEWARD_LISTEN="127.0.0.1:$port" STEWARD_LOG=warn "$root/target/debug/steward" serve >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
if ! node dist/main.js "http://127.0.0.1:$port/graphql"; then
  echo "--- server log"; tail -n 20 "$data/serve.log"; exit 1
fi
