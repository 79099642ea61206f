#!/usr/bin/env bash
# GraphQL-over-HTTP conformance: starts `steward serve` on a fresh SQLite data
# directory, signs in as the demo admin and runs the pinned `graphql-http`
# server audits (audit.mjs) against /graphql. Fails when a MUST fails or a
# SHOULD warns; MAY audits are reported only (see README, HTTP).
#
#   bash ci/graphql-http/run.sh      (AUDIT_PORT to choose the port)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

(cd "$here" && npm ci --no-audit --no-fund)
(cd "$root" && cargo build -p steward)

# Only the settings below: nothing from the caller's STEWARD_* environment
# (a database URL, an admin password, production mode) leaks into the server.
while read -r v; do unset "$v"; done < <(compgen -e | grep '^STEWARD_' || true)

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${AUDIT_PORT:-18765}"
if port_in_use "$port"; then
  port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
fi
base="http://127.0.0.1:$port"

data_dir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STEWARD_ENV=development STEWARD_SEED_DEMO=true STEWARD_LISTEN="127.0.0.1:$port" \
  STEWARD_DATA_DIR="$data_dir" STEWARD_LOG=warn \
  "$root/target/debug/steward" serve >"$data_dir/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "steward exited before becoming healthy:" >&2
    cat "$data_dir/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
if ! curl -fsS "$base/healthz" >/dev/null; then
  echo "steward did not become healthy on $base:" >&2
  cat "$data_dir/server.log" >&2
  exit 1
fi

login='{"query":"mutation($i: LoginInput!) { login(input: $i) { accessToken } }","variables":{"i":{"tenant":"demo","email":"admin@demo.example","password":"steward-demo-2026"}}}'
token="$(curl -fsS "$base/graphql" -H 'content-type: application/json' -d "$login" |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const t = JSON.parse(s)?.data?.login?.accessToken; if (!t) { console.error(s); process.exit(1); } console.log(t); })')"

echo "== graphql-http audit against $base/graphql"
(cd "$here" && AUDIT_AUTH="Bearer $token" node audit.mjs "$base/graphql")
