#!/usr/bin/env bash
# GraphiQL in a real browser: Debian's chromium (installed if missing) driven
# by playwright-core (pinned by package-lock.json) against a fresh Steward
# (SQLite, development mode, demo tenant). Screenshot: tests/artifacts/graphiql.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --silent)
(cd "$root" && cargo build -q -p steward)
data="$(mktemp -d)"
port=18766
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
for v in $(env | grep -o '^STEWARD_[A-Z_]*'); do unset "$v"; done
STEWARD_DATA_DIR="$data" STEWARD_LISTEN="127.0.0.1:$port" STEWARD_LOG=warn "$root/target/debug/steward" serve >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
mkdir -p "$root/tests/artifacts"
node "$here/check.mjs" "http://127.0.0.1:$port/graphql" "$root/tests/artifacts/graphiql.png"
