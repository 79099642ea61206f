#!/usr/bin/env bash
# Vendor GraphiQL's browser (UMD) assets into crates/api/assets/graphiql/ so the
# API server can serve GraphiQL without any CDN (offline users / CI).
#
# Fetches pinned package tarballs from the npm registry with `npm pack`
# (no install, no lifecycle scripts), verifies them against pinned sha512
# integrity hashes, and copies only the files the browser needs plus licenses.
#
# Usage: scripts/vendor-graphiql.sh
# To upgrade: bump the versions below, set the new integrity values
# (`npm view <pkg>@<version> dist.integrity`), re-run, and review the diff.
# Does NOT touch index.html / steward-graphiql.js in the destination.
set -euo pipefail

GRAPHIQL_VERSION="3.9.0"   # latest 3.x; still ships graphiql.min.{js,css} in the package root
REACT_VERSION="18.3.1"
REACT_DOM_VERSION="18.3.1"

GRAPHIQL_INTEGRITY="sha512-rJYFlHdBbug9+YbFSwRVvgfPjCayC7wHecZkx/qB4XLuQPFQZw/yB9pmHFtOJV6RiNBBHro3u1GdocKa3YcGRA=="
REACT_INTEGRITY="sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ=="
REACT_DOM_INTEGRITY="sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/crates/api/assets/graphiql"

for tool in npm tar openssl base64; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: '$tool' is required" >&2; exit 1; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch <name> <version> <integrity>  -> extracts to $TMP/<name>/package
fetch() {
  local name="$1" version="$2" integrity="$3"
  local tgz="$TMP/$name-$version.tgz"
  echo "fetching $name@$version" >&2
  (cd "$TMP" && npm pack --silent --ignore-scripts "$name@$version" >/dev/null)
  [[ -f "$tgz" ]] || { echo "error: npm pack did not produce $tgz" >&2; exit 1; }
  local actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 | tr -d '\n')"
  if [[ "$actual" != "$integrity" ]]; then
    echo "error: integrity mismatch for $name@$version" >&2
    echo "  expected $integrity" >&2
    echo "  actual   $actual" >&2
    exit 1
  fi
  mkdir -p "$TMP/$name"
  tar -xzf "$tgz" -C "$TMP/$name"
}

fetch graphiql  "$GRAPHIQL_VERSION"  "$GRAPHIQL_INTEGRITY"
fetch react     "$REACT_VERSION"     "$REACT_INTEGRITY"
fetch react-dom "$REACT_DOM_VERSION" "$REACT_DOM_INTEGRITY"

STAGE="$TMP/stage"
mkdir -p "$STAGE"

# copy <src> <dest-name>; fails loudly if the package layout changed.
copy() {
  [[ -s "$1" ]] || { echo "error: expected file missing or empty: ${1#"$TMP"/}" >&2; exit 1; }
  cp "$1" "$STAGE/$2"
}

copy "$TMP/graphiql/package/graphiql.min.js"                   graphiql.min.js
copy "$TMP/graphiql/package/graphiql.min.css"                  graphiql.min.css
copy "$TMP/react/package/umd/react.production.min.js"          react.production.min.js
copy "$TMP/react-dom/package/umd/react-dom.production.min.js"  react-dom.production.min.js
copy "$TMP/graphiql/package/LICENSE"                           LICENSE.graphiql
copy "$TMP/react/package/LICENSE"                              LICENSE.react
copy "$TMP/react-dom/package/LICENSE"                          LICENSE.react-dom

cat > "$STAGE/VERSIONS" <<VERSIONS
# Vendored by scripts/vendor-graphiql.sh -- do not edit by hand.
# package    version    npm tarball integrity
graphiql     $GRAPHIQL_VERSION      $GRAPHIQL_INTEGRITY
react        $REACT_VERSION     $REACT_INTEGRITY
react-dom    $REACT_DOM_VERSION     $REACT_DOM_INTEGRITY
VERSIONS

mkdir -p "$DEST"
cp "$STAGE"/* "$DEST"/
echo "vendored into ${DEST#"$ROOT"/}:" >&2
(cd "$DEST" && ls -l graphiql.min.js graphiql.min.css react.production.min.js \
  react-dom.production.min.js LICENSE.graphiql LICENSE.react LICENSE.react-dom VERSIONS) >&2
