#!/usr/bin/env bash
# Corpus documents side by side with PostGraphile 5, alternating, two rounds:
# Steward on the seeded steward_bench database (bench/run.sh seeds it, with
# the ids file), PostGraphile 5 already running on the peers' database
# (../shared/bench-peers: setup-db.sh, POSTGRAPHILE_VERSION=5.1.5
# run-postgraphile.sh start). Counterparts: the peers' Q1 and Q4, and
# bench/corpus/peers-v5/.
# Usage: [DOCS="01_q1_account_contacts 07_q4_owner_dashboard"] bench/compare.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/bench-peers}"
ids="${IDS_FILE:-$root/bench/results/raw/ids-pg.tsv}"
export DURATION=${DURATION:-5} WARMUP=${WARMUP:-2}
env STEWARD_ENV=production STEWARD_JWT_SECRET=0123456789abcdef0123456789abcdef0123 STEWARD_LISTEN=127.0.0.1:8093 \
  STEWARD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/steward_bench STEWARD_RATE_LIMIT_PER_MINUTE=0 STEWARD_LOG=warn \
  STEWARD_ACCESS_TOKEN_TTL_SECS=7200 $root/target/release/steward serve > "$root/bench/results/raw/compare-steward.log" 2>&1 &
spid=$!; trap 'kill $spid' EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8093/healthz >/dev/null && break; sleep 0.1; done
token=$(curl -fs http://127.0.0.1:8093/graphql -H 'content-type: application/json' -d '{"query":"mutation { login(input: {tenant: \"bench\", email: \"user00@bench.example\", password: \"bench-password-2026\"}) { accessToken } }"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
ppid=$(cat "${BENCH_RUN_DIR:-/tmp/steward-bench}/postgraphile.pid")
for round in 1 2; do
for d in ${DOCS:-01_q1_account_contacts 03_q1_owner_object 04_q1_reports_to_object 05_q1_nested 07_q4_owner_dashboard}; do
  r=$(SERVER_PID=$spid IDS_FILE=$ids AUTH_HEADER="Bearer $token" $peers/load.sh $root/bench/corpus/$d.graphql http://127.0.0.1:8093/graphql 2>&1 | grep '^RESULT' | tr ' ' '\n' | awk -F= '$1=="rps"||$1=="p99_ms"||$1=="rss_server_peak_mib"||$1=="cpu_postgres_pct"{printf "%s=%s ", $1, $2}')
  echo "round=$round steward $d $r"
  case $d in
    01_q1_account_contacts) pq=$peers/queries/v5/q1_account_contacts.graphql ;;
    06_q2_dashboard) pq=$peers/queries/v5/q2_dashboard.graphql ;;
    07_q4_owner_dashboard) pq=$peers/queries/v5/q4_owner_dashboard.graphql ;;
    31_q3_log_activity) pq=$peers/queries/v5/q3_create_activity.graphql ;;
    15_filter_tiers|16_filter_name|29_white_space|30_overdue_actions)
      echo "round=$round postgraphile5 $d no counterpart (see bench/corpus/peers-v5)"; continue ;;
    *) pq=$root/bench/corpus/peers-v5/$d.graphql ;;
  esac
  r=$(SERVER_PID=$ppid $peers/load.sh $pq http://127.0.0.1:5050/graphql 2>&1 | grep '^RESULT' | tr ' ' '\n' | awk -F= '$1=="rps"||$1=="p99_ms"||$1=="rss_server_peak_mib"||$1=="cpu_postgres_pct"{printf "%s=%s ", $1, $2}')
  echo "round=$round postgraphile5 $d $r"
done
done
