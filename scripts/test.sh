#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run every test tier.
# Usage: bash scripts/test.sh [pytest arguments], e.g. `bash scripts/test.sh tests/e2e` for the browser suite only.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/chromium.sh

# The service and integrity tests run on SQLite, and also on PostgreSQL when CLINIC_TEST_POSTGRES_URL is set.
# As root this script starts a local one (scripts/postgres.sh); CLINIC_TEST_POSTGRES=skip runs SQLite only.
if [ -z "${CLINIC_TEST_POSTGRES_URL:-}" ] && [ "${CLINIC_TEST_POSTGRES:-}" != "skip" ] && [ "$(id -u)" = "0" ]; then
  CLINIC_TEST_POSTGRES_URL=$(bash scripts/postgres.sh | tail -1)
  export CLINIC_TEST_POSTGRES_URL
fi
if [ -n "${CLINIC_TEST_POSTGRES_URL:-}" ]; then
  echo "Service and integrity tests run on SQLite and on PostgreSQL (${CLINIC_TEST_POSTGRES_URL##*@})."
fi

python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
python -m pip install --quiet --disable-pip-version-check --no-deps -e .
ruff check .
mypy services models pages main.py config.py
python -m pytest "$@"
