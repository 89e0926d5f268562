#!/usr/bin/env bash
# The test command: the whole suite on the embedded defaults (SQLite, in-process cache),
# then again on the running PostgreSQL and Redis. pytest's "no tests ran" (exit 5) fails.
# Tests run on GPUBROKER_TEST_WORKERS processes (pytest-xdist; default 2, one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

run_pytest() {
  local label=$1; shift
  echo "=== tests on ${label} ==="
  set +e
  "$BIN/pytest" -p no:cacheprovider -n "${GPUBROKER_TEST_WORKERS:-2}" "$@"
  local rc=$?
  set -e
  if [ "$rc" -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
  if [ "$rc" -ne 0 ]; then exit "$rc"; fi
}

export GPUBROKER_DATA_DIR=${GPUBROKER_DATA_DIR:-$(mktemp -d)}
# Each run gets its own PostgreSQL test database and Redis key prefix.
export GPUBROKER_TEST_DB_NAME=${GPUBROKER_TEST_DB_NAME:-test_gpubroker_$$}
export GPUBROKER_CACHE_PREFIX=${GPUBROKER_CACHE_PREFIX:-test$$}
PG_URL=${GPUBROKER_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
PG_REDIS=${GPUBROKER_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

DATABASE_URL= REDIS_URL= run_pytest "SQLite + in-process cache" "$@"
DATABASE_URL=$PG_URL REDIS_URL=$PG_REDIS run_pytest "PostgreSQL + Redis" "$@"
