#!/usr/bin/env bash
# Validates docker-compose.yml with Docker Compose: `docker compose` (the
# plugin) where installed, else Debian's docker-compose (installed if
# missing; it validates the same Compose Specification file offline, no
# Docker daemon needed). Checks that the file is valid and that it refuses to
# start without STEWARD_JWT_SECRET (no default secret).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
  fi
  compose=(docker-compose)
fi
cd "$root"
STEWARD_JWT_SECRET=ci-0123456789abcdef0123456789abcdef "${compose[@]}" -f docker-compose.yml config -q
if (unset STEWARD_JWT_SECRET; "${compose[@]}" -f docker-compose.yml config -q) 2>/dev/null; then
  echo "docker-compose.yml must refuse to start without STEWARD_JWT_SECRET" >&2
  exit 1
fi
echo "docker-compose.yml: valid (${compose[*]}), requires STEWARD_JWT_SECRET"
