#!/usr/bin/env bash
# Side-by-side benchmark on this machine: Steward on Postgres (and on SQLite)
# and PostGraphile 5 on the same data volume, the same load harness
# (../shared/bench-peers/load.sh: wrk, 32 connections, closed loop) and the
# same three queries (Q1 account with contacts, Q2 dashboard, Q3 log activity).
#
# Usage: bench/run.sh
# Env:   DURATION (s, default 10), CONNECTIONS (32), WARMUP (3)
#        SKIP_SEED=1     reuse the seeded steward_bench database and ids file
#        SKIP_SQLITE=1   no SQLite column
#        SKIP_PEER=1     no PostGraphile column
#        RLS=1           also Steward on Postgres with row-level security
#                        (STEWARD_DB_ROW_LEVEL_SECURITY), right after the plain run
#        BENCH_PG_URL    admin URL of the Postgres server (postgres://postgres@127.0.0.1:5432)
# Writes bench/results/<UTC stamp>.md; raw output under bench/results/raw/<stamp>/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/bench-peers}"
pg="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
port="${PORT:-8090}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
raw="$root/bench/results/raw/$stamp"
mkdir -p "$raw"
export DURATION="${DURATION:-10}" CONNECTIONS="${CONNECTIONS:-32}" WARMUP="${WARMUP:-3}"
queries=(q1_account_contacts q2_dashboard q3_create_activity)

echo "== building steward (release)"
(cd "$root" && cargo build --release -q -p steward)
bin="$root/target/release/steward"
secret="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

start_steward() { # $1 = database URL, $2 = label; extra settings in $STEWARD_EXTRA_ENV
    env ${STEWARD_EXTRA_ENV:-} STEWARD_ENV=production STEWARD_JWT_SECRET="$secret" STEWARD_LISTEN="127.0.0.1:$port" \
    STEWARD_DATABASE_URL="$1" STEWARD_STATEMENT_COUNT_HEADER=true STEWARD_ACCESS_TOKEN_TTL_SECS=7200 \
    STEWARD_RATE_LIMIT_PER_MINUTE=0 STEWARD_LOG=warn "$bin" serve >"$raw/steward-$2.log" 2>&1 &
    echo $! >"$raw/steward.pid"
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
    echo "steward did not start; see $raw/steward-$2.log" >&2; exit 1
}
stop_steward() { kill "$(cat "$raw/steward.pid")" 2>/dev/null || true; sleep 0.5; }
trap stop_steward EXIT

login() {
    curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
      -d '{"query":"mutation { login(input: {tenant: \"bench\", email: \"user00@bench.example\", password: \"bench-password-2026\"}) { accessToken } }"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])'
}

# One request per query: SQL statements it ran and response size.
probe() { # $1 = label, $2 = ids file, $3 = token
    for q in "${queries[@]}"; do
        python3 - "$root/bench/queries/$q" "$2" >"$raw/$q.body.json" <<'PY'
import json, os, sys
base, ids = sys.argv[1:3]
b = {"query": open(base + ".graphql").read()}
if os.path.exists(base + ".vars.json"):
    a, c = open(ids).readline().rstrip("\n").split("\t")[:2]
    b["variables"] = json.loads(open(base + ".vars.json").read().replace("__ACCOUNT_ID__", a).replace("__CONTACT_ID__", c))
print(json.dumps(b))
PY
        # Twice: the first sight of a document runs through async-graphql (full
        # validation), later ones through the compiled path where it applies.
        for _ in 1 2; do
            curl -fs -D "$raw/$1-$q.headers" -o "$raw/$1-$q.response.json" "http://127.0.0.1:$port/graphql" \
              -H 'content-type: application/json' -H "authorization: Bearer $3" -d @"$raw/$q.body.json"
        done
        stmts=$(grep -i '^x-steward-sql-statements' "$raw/$1-$q.headers" | tr -dc '0-9')
        echo "PROBE target=$1 query=$q statements=$stmts bytes=$(wc -c <"$raw/$1-$q.response.json")" | tee -a "$raw/results.txt"
    done
}

load() { # $1 = label, $2 = query file, $3 = url, $4 = ids file, $5 = auth header, $6 = pid
    local q; q=$(basename "$2" .graphql)
    SERVER_PID="$6" IDS_FILE="$4" AUTH_HEADER="$5" "$peers/load.sh" "$2" "$3" >"$raw/$1-$q.load.txt" 2>&1 || {
        echo "load failed for $1 $q; see $raw/$1-$q.load.txt" >&2; }
    echo "$(grep '^RESULT' "$raw/$1-$q.load.txt" | sed "s/^RESULT/RESULT target=$1 query=$q/")" | tee -a "$raw/results.txt"
}

run_steward() { # $1 = label, $2 = database URL, $3 = ids file
    start_steward "$2" "$1"
    local token; token=$(login)
    probe "$1" "$3" "$token"
    for q in "${queries[@]}"; do
        load "$1" "$root/bench/queries/$q.graphql" "http://127.0.0.1:$port/graphql" "$3" "Bearer $token" "$(cat "$raw/steward.pid")"
    done
    stop_steward
}

# --- Steward on Postgres
ids_pg="$root/bench/results/raw/ids-pg.tsv"
if [[ -z "${SKIP_SEED:-}" || ! -s "$ids_pg" ]]; then
    echo "== seeding steward_bench (Postgres)"
    psql "$pg/postgres" -qX -c "DROP DATABASE IF EXISTS steward_bench WITH (FORCE)" -c "CREATE DATABASE steward_bench"
    STEWARD_DATABASE_URL="$pg/steward_bench" "$bin" seed --profile bench --ids-file "$ids_pg" | tee "$raw/seed-pg.txt"
fi
echo "== Steward on Postgres"
run_steward steward-pg "$pg/steward_bench" "$ids_pg"
if [[ -n "${RLS:-}" ]]; then
    echo "== Steward on Postgres, row-level security on"
    STEWARD_EXTRA_ENV="STEWARD_DB_ROW_LEVEL_SECURITY=true" run_steward steward-pg-rls "$pg/steward_bench" "$ids_pg"
fi

# --- Steward on SQLite
if [[ -z "${SKIP_SQLITE:-}" ]]; then
    ids_lite="$root/bench/results/raw/ids-sqlite.tsv"
    lite="$root/bench/results/raw/bench.db"
    if [[ -z "${SKIP_SEED:-}" || ! -s "$ids_lite" || ! -f "$lite" ]]; then
        echo "== seeding SQLite"
        rm -f "$lite" "$lite-wal" "$lite-shm"
        STEWARD_DATABASE_URL="sqlite://$lite?mode=rwc" "$bin" seed --profile bench --ids-file "$ids_lite" | tee "$raw/seed-sqlite.txt"
    fi
    echo "== Steward on SQLite"
    run_steward steward-sqlite "sqlite://$lite?mode=rwc" "$ids_lite"
fi

# --- PostGraphile 5 on the peers' database (same volume), same run
if [[ -z "${SKIP_PEER:-}" ]]; then
    echo "== PostGraphile 5"
    (cd "$peers" && { [[ -n "${SKIP_SEED:-}" ]] || ./setup-db.sh; }) >"$raw/peer-setup.txt" 2>&1
    (cd "$peers" && POSTGRAPHILE_VERSION=5.1.5 ./run-postgraphile.sh start) >"$raw/peer-start.txt" 2>&1
    ppid=$(cat /tmp/steward-bench/postgraphile.pid)
    for q in "${queries[@]}"; do
        if [[ $q == q3_create_activity ]]; then
            runuser -u postgres -- psql -qX -d crm_bench -c "DELETE FROM activities WHERE id > 500000" || true
        fi
        load postgraphile5 "$peers/queries/v5/$q.graphql" "http://127.0.0.1:5050/graphql" "" "" "$ppid"
    done
    (cd "$peers" && ./run-postgraphile.sh stop) >/dev/null 2>&1 || true
fi

# --- Summary table
python3 - "$raw/results.txt" "$root/bench/results/$stamp.md" "$stamp" <<'PY'
import sys, collections
src, out, stamp = sys.argv[1:4]
res, probes = collections.OrderedDict(), {}
for line in open(src):
    kv = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
    if line.startswith("RESULT"):
        res.setdefault(kv["target"], {})[kv["query"]] = kv
    elif line.startswith("PROBE"):
        probes[(kv["target"], kv["query"])] = kv
names = {"q1_account_contacts": "Q1 account + contacts", "q2_dashboard": "Q2 dashboard", "q3_create_activity": "Q3 log activity"}
lines = [f"# Benchmark {stamp}", "", "wrk via ../shared/bench-peers/load.sh; same machine, same run. CPU in % of one core.", "",
         "| target | query | req/s | p50 ms | p99 ms | server CPU | postgres CPU | peak RSS MiB | SQL statements | bytes |",
         "|---|---|---|---|---|---|---|---|---|---|"]
for t, qs in res.items():
    for q, kv in qs.items():
        p = probes.get((t, q), {})
        lines.append(f"| {t} | {names.get(q, q)} | {kv.get('rps','?')} | {kv.get('p50_ms','?')} | {kv.get('p99_ms','?')} | "
                     f"{kv.get('cpu_server_pct','?')} | {kv.get('cpu_postgres_pct','?')} | {kv.get('rss_server_peak_mib','?')} | "
                     f"{p.get('statements','')} | {p.get('bytes','')} |")
lines += ["", f"Foreign CPU and quiet flags are in raw/{stamp}/results.txt."]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "written: bench/results/$stamp.md"
