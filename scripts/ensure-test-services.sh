#!/usr/bin/env bash
# Makes sure the services the test suite needs are installed and running on this machine:
# PostgreSQL 15 (the machine's cluster), Redis, Debian's Chromium for the browser tests, and libfaketime for
# `make test-dates`.
# Idempotent; installs with apt only what is missing (needs root, as on the project's machines).
set -euo pipefail

PG_USER="${PG_USER:-ltt}"
PG_PASSWORD="${PG_PASSWORD:-ltt}"
PG_DB="${PG_DB:-ltt}"
REDIS_PORT="${REDIS_PORT:-6379}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql-15)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL 15: the machine's cluster (created if the package is there but the cluster is not), started if down.
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 '; then
  as_root pg_createcluster 15 main --port 5432 >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  as_root pg_ctlcluster 15 main start || as_root service postgresql start >/dev/null
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
psql_admin() { as_root runuser -u postgres -- psql -p 5432 -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '${PG_USER}'")" != "1" ]; then
  psql_admin -c "CREATE ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}'"
else
  # A role left by an earlier setup may have another password or lack CREATEDB (pytest creates the test database).
  psql_admin -c "ALTER ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE ${PG_DB} OWNER ${PG_USER}"
fi

# Redis: start one in the background when nothing answers on the port.
if ! redis-cli -p "${REDIS_PORT}" ping >/dev/null 2>&1; then
  redis-server --port "${REDIS_PORT}" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --logfile /tmp/ltt-redis.log
  for _ in $(seq 1 30); do redis-cli -p "${REDIS_PORT}" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -p "${REDIS_PORT}" ping
