#!/usr/bin/env bash
# Make sure a PostgreSQL server (Debian's package) runs on loopback with a `clinic` role and database, and print
# its URL on the last line. Installs and starts it if needed (as root). Used by scripts/test.sh and .ci/run.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the PostgreSQL test run..." >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true  # already running is fine
for _ in $(seq 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
as_postgres() { su postgres -c "psql -p $port -qtAc \"$1\""; }
if [ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = 'clinic'")" != "1" ]; then
  as_postgres "CREATE ROLE clinic LOGIN SUPERUSER PASSWORD 'clinic'" >/dev/null
fi
if [ "$(as_postgres "SELECT 1 FROM pg_database WHERE datname = 'clinic'")" != "1" ]; then
  as_postgres "CREATE DATABASE clinic OWNER clinic" >/dev/null
fi
echo "postgresql+psycopg://clinic:clinic@127.0.0.1:$port/clinic"
