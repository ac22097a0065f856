#!/bin/sh
# Entrypoint of the local PostgreSQL + pgvector stand-in image (built by scripts/docker-images.sh from Debian
# packages). It does what the official postgres image does for the variables docker-compose.yml uses:
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, initdb into $PGDATA on first start, listen on every address on 5432.
set -eu

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

# `docker run image -c x=y` means `postgres -c x=y`, as in the official image.
case "${1:-postgres}" in
  -*) set -- postgres "$@" ;;
esac
[ $# -gt 0 ] || set -- postgres

if [ "$1" != postgres ]; then
  exec "$@"
fi

# As root: own the data and socket folders, then run again as postgres.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres-entrypoint: POSTGRES_PASSWORD is not set; the database would accept no password logins" >&2
    exit 1
  fi
  echo "postgres-entrypoint: initialising $PGDATA for user $POSTGRES_USER"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    # A private start on a socket in a private folder: no TCP client, nor a pg_isready healthcheck on the usual
    # socket, sees the server before the database exists.
    sockdir=$(mktemp -d)
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$sockdir" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 -X -q --host="$sockdir" --username="$POSTGRES_USER" --dbname=postgres \
      -c "CREATE DATABASE \"$POSTGRES_DB\""
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    rmdir "$sockdir"
  fi
  echo "postgres-entrypoint: initialised"
fi

exec "$@"
