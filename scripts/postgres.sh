#!/usr/bin/env bash
# Make a local PostgreSQL 15 with pgvector available and running on Debian 12, then print
# `DATABASE_URL=postgres://...` as the last stdout line: a URL through the server's Unix socket, the cheaper way to
# reach a server on the same machine (the TCP URL goes to stderr). Idempotent; needs root; reads no stdin.
# Every progress message goes to stderr so stdout carries only the URL.
set -euo pipefail

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
VECTOR_CONTROL="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
SRC_FILE=/etc/apt/sources.list.d/mnemo-pgvector-src.sources
BUILD_DIR=/var/cache/mnemo-pgvector
DB_USER=mnemo
DB_PASS=mnemo
DB_NAME=mnemo
MIN_CONNECTIONS=300
export DEBIAN_FRONTEND=noninteractive

log() { echo "[postgres.sh] $*" >&2; }

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq >&2
    apt_updated=1
  fi
}

apt_install() {
  apt_update_once
  apt-get install -y -qq --no-install-recommends "$@" >&2
}

# The Debian archive URIs this machine already uses: those of entries whose suite is the
# release codename itself (skips -security, -updates and third-party repositories).
debian_uris() {
  local codename
  codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  {
    # one-line format: deb [opts] URI SUITE COMPONENTS...
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/\[[^]]*\]//' \
      | awk -v c="$codename" '$1 == "deb" && $3 == c { print $2 }'
    # deb822 format: stanzas separated by blank lines
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && [ "$f" != "$SRC_FILE" ] || continue
      awk -v c="$codename" '
        /^[[:space:]]*$/ { if (ok) print uris; uris = ""; ok = 0; next }
        /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
        /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) ok = 1 }
        END { if (ok) print uris }' "$f" | tr ' ' '\n'
    done
  } | grep -E '^(https?|file|mirror[+a-z]*):' | awk '!seen[$0]++'
}

# deb-src only: Sources indexes never feed binary upgrades, so no pin is needed.
write_trixie_source() {
  local uris
  uris=$(debian_uris | tr '\n' ' ')
  [ -n "$uris" ] || { log "no Debian archive URI found in apt sources"; exit 1; }
  log "adding deb-src trixie from: $uris"
  cat >"$SRC_FILE" <<EOF
# Written by mnemo scripts/postgres.sh: source packages only, to build pgvector.
Types: deb-src
URIs: ${uris% }
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt_updated=0
}

build_pgvector() {
  [ -f "$SRC_FILE" ] || write_trixie_source
  apt_update_once
  apt_install "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev
  rm -rf "$BUILD_DIR" && mkdir -p "$BUILD_DIR"
  (cd "$BUILD_DIR" && apt-get source -qq pgvector >&2)
  local dir
  dir=$(find "$BUILD_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
  [ -n "$dir" ] || { log "apt-get source pgvector produced no directory"; exit 1; }
  log "building $(basename "$dir")"
  make -C "$dir" -j2 PG_CONFIG="$PG_BIN/pg_config" >&2
  make -C "$dir" install PG_CONFIG="$PG_BIN/pg_config" >&2
}

cluster_status() { pg_lsclusters -h "$PG_MAJOR" main 2>/dev/null | awk '{ print $4 }'; }
cluster_port() { pg_lsclusters -h "$PG_MAJOR" main | awk '{ print $3 }'; }

wait_ready() {
  local port i
  port=$(cluster_port)
  for i in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && return 0
    sleep 0.5
  done
  log "postgres did not become ready on port $port"
  exit 1
}

start_cluster() {
  local status
  status=$(cluster_status)
  if [ -z "$status" ]; then
    log "creating cluster ${PG_MAJOR}/main"
    pg_createcluster "$PG_MAJOR" main >&2
    status=down
  fi
  if [ "$status" != online ]; then
    log "starting cluster ${PG_MAJOR}/main"
    pg_ctlcluster "$PG_MAJOR" main start >&2
  fi
  wait_ready
}

# psql as the postgres superuser over the local socket (peer auth).
psql_admin() {
  PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$(cluster_port)" "$@"
}

# Settings that need a restart, applied once: enough connections for the test suite's parallel files, and a buffer
# cache that holds an HNSW index of ~100k 768-dim passages (the default 128MB does not): a quarter of the RAM, at most
# 1GB, the usual starting point.
tune_server() {
  local current restart=0 mem_mb want_mb buf_mb
  current=$(psql_admin -tA -c 'SHOW max_connections')
  if [ "$current" -lt "$MIN_CONNECTIONS" ]; then
    log "raising max_connections $current -> $MIN_CONNECTIONS"
    psql_admin -c "ALTER SYSTEM SET max_connections = $MIN_CONNECTIONS"
    restart=1
  fi
  mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  want_mb=$(( mem_mb / 4 < 1024 ? mem_mb / 4 : 1024 ))
  buf_mb=$(psql_admin -tA -c "SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'")
  if [ "$buf_mb" -lt "$want_mb" ]; then
    log "raising shared_buffers ${buf_mb}MB -> ${want_mb}MB"
    psql_admin -c "ALTER SYSTEM SET shared_buffers = '${want_mb}MB'"
    restart=1
  fi
  if [ "$restart" = 1 ]; then
    log "restarting ${PG_MAJOR}/main for the new settings"
    pg_ctlcluster "$PG_MAJOR" main restart >&2
    wait_ready
  fi
}

ensure_role_and_db() {
  psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASS';
  ELSE
    ALTER ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASS';
  END IF;
END \$\$;
SQL
  if [ -z "$(psql_admin -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    psql_admin -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
  psql_admin -d "$DB_NAME" -c 'CREATE EXTENSION IF NOT EXISTS vector'
}

# Password logins for the mnemo role over the Unix socket. Debian allows only peer authentication there (the OS user
# must be named like the role), so without this line a socket URL with a password is refused. Inserted before the
# catch-all `local all all` line, since the first matching line decides.
allow_socket_login() {
  local hba line
  hba=$(psql_admin -tA -c 'SHOW hba_file')
  grep -Eq "^local[[:space:]]+all[[:space:]]+${DB_USER}[[:space:]]+scram-sha-256" "$hba" && return 0
  log "allowing password logins for ${DB_USER} over the Unix socket ($hba)"
  line="local   all             ${DB_USER}                                   scram-sha-256"
  awk -v l="$line" '!done && /^local[[:space:]]+all[[:space:]]+all[[:space:]]/ { print l; done = 1 } { print }
    END { if (!done) print l }' "$hba" >"$hba.mnemo"
  cat "$hba.mnemo" >"$hba" # keeps the file's owner and mode
  rm -f "$hba.mnemo"
  psql_admin -c 'SELECT pg_reload_conf()' >/dev/null
}

main() {
  [ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }
  [ -x "$PG_BIN/postgres" ] || apt_install "postgresql-${PG_MAJOR}" postgresql-contrib
  if [ -f "$VECTOR_CONTROL" ]; then
    log "pgvector already installed"
  else
    build_pgvector
  fi
  start_cluster
  tune_server
  ensure_role_and_db
  allow_socket_login
  local port socket_dir tcp_url url version
  port=$(cluster_port)
  socket_dir=$(psql_admin -tA -c 'SHOW unix_socket_directories' | cut -d, -f1 | tr -d ' ')
  tcp_url="postgres://${DB_USER}:${DB_PASS}@127.0.0.1:${port}/${DB_NAME}"
  url="postgres://${DB_USER}:${DB_PASS}@localhost:${port}/${DB_NAME}?host=${socket_dir}"
  version=$(psql "$url" -X -tA -c "select extversion from pg_extension where extname='vector'")
  log "pgvector $version ready; over TCP: $tcp_url"
  echo "DATABASE_URL=$url"
}

main "$@" </dev/null
