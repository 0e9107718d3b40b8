#!/usr/bin/env bash
# Starts Twofold in dev mode against the local PostgreSQL (127.0.0.1:5432, user postgres), creating
# the "twofold" database first if it does not exist. Dev mode uses the throwaway keys of the dev
# profile: never expose it beyond your machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
if ! psql -d postgres -tAc "select 1 from pg_database where datname = 'twofold'" | grep -q 1; then
  echo "Creating database twofold on $PGHOST:$PGPORT"
  createdb twofold
fi

exec ./mvnw -ntp quarkus:dev -Dquarkus.analytics.disabled=true "$@"
