#!/usr/bin/env bash
# Documents that read relations inside row-backed types (plan detail,
# objective node), against Steward with the compiled path on (8094) and off
# (8095: async-graphql's execution, the "before"), alternating, two rounds,
# on the seeded steward_bench database (bench/run.sh seeds it).
# Usage: bench/relations/run.sh   (env: DURATION, WARMUP, BENCH_PG_URL)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"; here="$root/bench/relations"
peers="${PEERS_DIR:-$root/../shared/bench-peers}"
pg="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
export DURATION=${DURATION:-4} WARMUP=${WARMUP:-1}
ids="$root/bench/results/raw/ids-relations.tsv"
mkdir -p "$(dirname "$ids")"
# 2,000 random plans with one of their objectives, as global ids (columns
# 1 and 2 stand for __ACCOUNT_ID__ and __CONTACT_ID__ in the .vars.json).
psql "$pg/steward_bench" -Atc "select p.id, o.id from account_plans p join objectives o on o.plan_id = p.id \
  where p.deleted_at is null and o.deleted_at is null order by random() limit 2000" | python3 -c '
import sys, base64
e = lambda k, u: base64.urlsafe_b64encode(f"{k}:{u}".encode()).decode().rstrip("=")
for line in sys.stdin:
    p, o = line.strip().split("|")
    print(e("Plan", p) + "\t" + e("Objective", o) + "\t-")' > "$ids"
start() { env STEWARD_ENV=production STEWARD_JWT_SECRET=0123456789abcdef0123456789abcdef0123 STEWARD_LISTEN=127.0.0.1:$1 \
  STEWARD_DATABASE_URL="$pg/steward_bench" STEWARD_RATE_LIMIT_PER_MINUTE=0 STEWARD_LOG=warn \
  STEWARD_STATEMENT_COUNT_HEADER=true STEWARD_COMPILED_READS=$2 STEWARD_ACCESS_TOKEN_TTL_SECS=7200 \
  "$root/target/release/steward" serve > "$root/bench/results/raw/relations-$1.log" 2>&1 & echo $!; }
a=$(start 8094 true); b=$(start 8095 false); trap 'kill $a $b' EXIT
for p in 8094 8095; do for _ in $(seq 1 100); do curl -fs http://127.0.0.1:$p/healthz >/dev/null && break; sleep 0.1; done; done
token=$(curl -fs http://127.0.0.1:8094/graphql -H 'content-type: application/json' -d '{"query":"mutation { login(input: {tenant: \"bench\", email: \"user00@bench.example\", password: \"bench-password-2026\"}) { accessToken } }"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
for round in 1 2; do for d in plan_detail objective_node; do for p in 8094 8095; do
  pid=$([ $p = 8094 ] && echo $a || echo $b)
  r=$(SERVER_PID=$pid IDS_FILE="$ids" AUTH_HEADER="Bearer $token" "$peers/load.sh" "$here/$d.graphql" http://127.0.0.1:$p/graphql 2>&1 | grep '^RESULT' | tr ' ' '\n' | awk -F= '$1=="rps"||$1=="p99_ms"||$1=="rss_server_peak_mib"{printf "%s=%s ", $1, $2}')
  echo "round=$round $d $([ $p = 8094 ] && echo compiled || echo resolvers) $r"
done; done; done
