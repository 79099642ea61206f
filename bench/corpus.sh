#!/usr/bin/env bash
# Every document of bench/corpus against Steward on the seeded Postgres bench
# database (bench/run.sh seeds it): the read path each takes
# (`x-steward-execution`), SQL statements per request, and req/s under the
# same load harness as bench/run.sh (../shared/bench-peers/load.sh: wrk,
# closed loop), with a random account / contact / owner per request from the
# ids file.
#
# Usage: bench/corpus.sh [NAME_REGEX]  (e.g. "^(31|42|44)_": documents side by side in one run)
# Env:   DURATION (s, default 4), WARMUP (1), CONNECTIONS (32)
#        BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), IDS_FILE
#        (bench/results/raw/ids-pg.tsv: account, contact, owner per line)
# Writes bench/results/corpus-<UTC stamp>.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/bench-peers}"
pg="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
ids="${IDS_FILE:-$root/bench/results/raw/ids-pg.tsv}"
port="${PORT:-8091}"
filter="${1:-}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
raw="$root/bench/results/raw/corpus-$stamp"
mkdir -p "$raw"
export DURATION="${DURATION:-4}" WARMUP="${WARMUP:-1}" CONNECTIONS="${CONNECTIONS:-32}"
[[ -s "$ids" ]] || { echo "no ids file $ids: run bench/run.sh (it seeds steward_bench) first" >&2; exit 1; }

bin="$root/target/release/steward"
[[ -x "$bin" ]] || (cd "$root" && cargo build --release -q --bin steward)
secret="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
env STEWARD_ENV=production STEWARD_JWT_SECRET="$secret" STEWARD_LISTEN="127.0.0.1:$port" \
    STEWARD_DATABASE_URL="$pg/steward_bench" STEWARD_STATEMENT_COUNT_HEADER=true \
    STEWARD_ACCESS_TOKEN_TTL_SECS=7200 STEWARD_RATE_LIMIT_PER_MINUTE=0 STEWARD_LOG=warn \
    "$bin" serve >"$raw/steward.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/graphql"
token=$(curl -fs "$url" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {tenant: \"bench\", email: \"user00@bench.example\", password: \"bench-password-2026\"}) { accessToken } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')

: >"$raw/results.txt"
for f in "$root"/bench/corpus/*.graphql; do
    name=$(basename "$f" .graphql)
    [[ -z "$filter" || "$name" =~ $filter ]] || continue
    # The request the probe sends: the first ids line for the placeholders.
    python3 - "$f" "$ids" >"$raw/$name.body.json" <<'PY'
import json, os, sys
f, ids = sys.argv[1:3]
cols = open(ids).readline().rstrip("\n").split("\t") + ["", ""]
b = {"query": open(f).read()}
v = f[: -len(".graphql")] + ".vars.json"
if os.path.exists(v):
    b["variables"] = json.loads(open(v).read().replace("__ACCOUNT_ID__", cols[0])
                                .replace("__CONTACT_ID__", cols[1]).replace("__OWNER_ID__", cols[2]))
print(json.dumps(b))
PY
    for _ in 1 2; do # the first sight of a document is validated field by field
        curl -fs -D "$raw/$name.headers" -o "$raw/$name.response.json" "$url" \
          -H 'content-type: application/json' -H "authorization: Bearer $token" -d @"$raw/$name.body.json"
    done
    path=$(grep -i '^x-steward-execution' "$raw/$name.headers" | awk '{print $2}' | tr -d '\r')
    stmts=$(grep -i '^x-steward-sql-statements' "$raw/$name.headers" | tr -dc '0-9')
    errors=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("errors") or []))' "$raw/$name.response.json")
    SERVER_PID=$pid IDS_FILE="$ids" AUTH_HEADER="Bearer $token" "$peers/load.sh" "$f" "$url" >"$raw/$name.load.txt" 2>&1 ||
        echo "load failed for $name; see $raw/$name.load.txt" >&2
    rps=$(grep '^RESULT' "$raw/$name.load.txt" | tr ' ' '\n' | awk -F= '$1=="rps"{print $2}')
    p99=$(grep '^RESULT' "$raw/$name.load.txt" | tr ' ' '\n' | awk -F= '$1=="p99_ms"{print $2}')
    echo "$name path=$path statements=$stmts errors=$errors rps=${rps:-?} p99_ms=${p99:-?}" | tee -a "$raw/results.txt"
done

python3 - "$raw/results.txt" "$root/bench/results/corpus-$stamp.md" "$stamp" <<'PY'
import sys
src, out, stamp = sys.argv[1:4]
rows = [dict([("name", l.split()[0])] + [kv.split("=", 1) for kv in l.split()[1:]]) for l in open(src) if l.strip()]
compiled = sum(1 for r in rows if r["path"] == "compiled")
lines = [f"# Corpus {stamp}", "", f"Steward on Postgres (bench seed), load.sh, 32 connections; {compiled} of {len(rows)} documents on the compiled path.", "",
         "| document | path | SQL statements | req/s | p99 ms |", "|---|---|---|---|---|"]
lines += [f"| {r['name']} | {r['path']} | {r['statements']} | {r['rps']} | {r['p99_ms']} |" for r in rows]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "written: bench/results/corpus-$stamp.md"
