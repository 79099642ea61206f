#!/usr/bin/env bash
# Schema-driven fuzzing of a running Steward (SQLite, development mode, demo
# tenant) with schemathesis' GraphQL support, signed in as the demo admin.
# Fails on any 5xx, malformed GraphQL response, INTERNAL error or leaked
# internal detail (ci/fuzz/hooks.py). MAX_EXAMPLES (default 10) sets the depth;
# a long run: MAX_EXAMPLES=500 bash ci/fuzz/run.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python3 -m pip install -q --disable-pip-version-check -r "$here/requirements.txt" 2>/dev/null
(cd "$root" && cargo build -q -p steward)
data="$(mktemp -d)"
port=18767
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
for v in $(env | grep -o '^STEWARD_[A-Z_]*'); do unset "$v"; done
STEWARD_DATA_DIR="$data" STEWARD_LISTEN="127.0.0.1:$port" STEWARD_RATE_LIMIT_PER_MINUTE=0 STEWARD_LOG=warn \
  "$root/target/debug/steward" serve >"$data/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
token=$(curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {tenant: \"demo\", email: \"admin@demo.example\", password: \"steward-demo-2026\"}) { accessToken } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
cd "$here"
SCHEMATHESIS_HOOKS=hooks schemathesis run "http://127.0.0.1:$port/graphql" \
  -H "Authorization: Bearer $token" --max-examples "${MAX_EXAMPLES:-10}" \
  --checks steward_sound_response --seed 20261126
