#!/usr/bin/env bash
# Make a Docker engine available and seed its image cache with local stand-ins for the base images that the
# project's Dockerfile and docker-compose.yml name, built only from Debian packages (mmdebstrap + docker import).
# With these, the unchanged Dockerfile and compose file build and run on a machine that cannot pull from a registry.
# Idempotent: an engine already answering is used as is, an image already present is kept. Needs root.
# Progress goes to stderr; the last stdout line is `COMPOSE=<command>` (`docker compose` or `docker-compose`).
# `--engine-only`: start the engine and stop there (CI then builds the images at a lower priority).
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=trixie # Debian 13: nodejs 20, postgresql-17, postgresql-17-pgvector
DOCKERD_LOG=/var/log/mnemo-dockerd.log
export DEBIAN_FRONTEND=noninteractive

log() { echo "[docker-images] $*" >&2; }
die() { log "$*"; exit 1; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt_updated=1
  fi
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2
}

engine_up() { timeout 10 docker info >/dev/null 2>&1; }

# dockerd in the background, overlay2 first and vfs where the kernel or filesystem refuses overlay.
start_dockerd() {
  local driver i
  for driver in overlay2 vfs; do
    log "starting dockerd (storage driver $driver), log in $DOCKERD_LOG"
    setsid dockerd --storage-driver="$driver" >>"$DOCKERD_LOG" 2>&1 </dev/null &
    for i in $(seq 1 60); do
      engine_up && { log "dockerd is up ($driver)"; return 0; }
      kill -0 $! 2>/dev/null || break
      sleep 1
    done
    kill $! 2>/dev/null || true
    wait $! 2>/dev/null || true
    log "dockerd did not come up with $driver"
  done
  die "no Docker engine could be started; see $DOCKERD_LOG"
}

ensure_engine() {
  if engine_up; then
    log "a Docker engine is already running"
    return 0
  fi
  command -v dockerd >/dev/null || apt_install docker.io
  start_dockerd
}

# Prints the compose command: the v2 plugin where present, else Debian's docker-compose.
compose_command() {
  if docker compose version >/dev/null 2>&1; then
    echo "docker compose"
    return 0
  fi
  command -v docker-compose >/dev/null || apt_install docker-compose
  echo "docker-compose"
}

# The Debian archive this machine's apt uses (an entry for the bare release suite), else deb.debian.org.
debian_mirror() {
  local codename uri
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v c="$codename" '
    /^[[:space:]]*$/ { if (ok && uris != "") { print uris; exit } uris = ""; ok = 0; next }
    /^URIs:/ { uris = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) ok = 1 }
    END { if (ok && uris != "") print uris }' | head -n1 || true)
  [ -n "$uri" ] || uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null \
    | awk -v c="$codename" '$1 == "deb" && $3 == c { print $2; exit }' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# mmdebstrap writes a root filesystem tarball to stdout and docker import makes it an image; the image settings go on
# top with a two-line build, since `docker import --change` refuses some instructions (STOPSIGNAL).
# Usage: debian_image TAG 'DOCKERFILE LINES' MMDEBSTRAP-OPTIONS...
debian_image() {
  local tag=$1 settings=$2
  shift 2
  local rootfs="mnemo-standin-rootfs:${tag//[^a-zA-Z0-9_.-]/-}"
  log "building $tag from Debian $SUITE packages (takes minutes)"
  mmdebstrap --variant=minbase --quiet --aptopt='Acquire::Retries "3"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    "$@" "$SUITE" - "$(debian_mirror)" \
    | docker import - "$rootfs" >/dev/null
  local out # the legacy builder warns about itself on stderr: shown only when the build fails
  out=$(printf 'FROM %s\n%s\n' "$rootfs" "$settings" | DOCKER_BUILDKIT=0 docker build -q -t "$tag" - 2>&1) \
    || die "docker build of $tag failed: $out"
  docker rmi "$rootfs" >/dev/null # the tag only; the layers stay under $tag
  log "built $tag"
}

# Like the official node image: node and npm on PATH, a `node` user with uid 1000, apt for further packages.
# It also trusts this machine's local CA certificates (/usr/local/share/ca-certificates, e.g. of a TLS-inspecting
# egress proxy), so `npm ci` in a build reaches the registry as it does on the host.
build_node() {
  local tag=$1
  local -a local_cas=()
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    local_cas=(--customize-hook='copy-in /usr/local/share/ca-certificates /usr/local/share'
      --customize-hook='chroot "$1" update-ca-certificates >/dev/null 2>&1')
  fi
  debian_image "$tag" 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]' \
    --include=nodejs,npm,ca-certificates \
    --customize-hook='chroot "$1" groupadd --gid 1000 node' \
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    "${local_cas[@]}"
}

# Like the official postgres image (see scripts/docker/postgres-entrypoint.sh) with pgvector installed.
build_postgres() {
  local tag=$1 major=$2
  debian_image "$tag" "ENV PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT [\"docker-entrypoint.sh\"]
CMD [\"postgres\"]" \
    --include="postgresql-$major,postgresql-$major-pgvector" \
    --customize-hook='rm -rf "$1"/etc/postgresql/* "$1"/var/lib/postgresql/*' \
    --customize-hook='upload scripts/docker/postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh' \
    --customize-hook='chmod 755 "$1"/usr/local/bin/docker-entrypoint.sh'
}

# Exactly the images named by FROM lines of the Dockerfile and image: lines of docker-compose.yml.
named_images() {
  {
    awk 'toupper($1) == "FROM" { print $2 }' Dockerfile
    sed -nE 's/^[[:space:]]*image:[[:space:]]*["'\'']?([^"'\''[:space:]]+).*/\1/p' docker-compose.yml
  } | awk '!seen[$0]++'
}

seed_image() {
  local image=$1
  if have_image "$image"; then
    log "$image is already in the local image cache"
    return 0
  fi
  case "$image" in
    node:20-*) build_node "$image" ;;
    pgvector/pgvector:pg[0-9]*) build_postgres "$image" "${image##*:pg}" ;;
    *) die "no Debian stand-in is known for image $image (named in Dockerfile or docker-compose.yml)" ;;
  esac
}

main() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  ensure_engine
  local compose image
  compose=$(compose_command)
  if [ "${1:-}" = --engine-only ]; then
    echo "COMPOSE=$compose"
    return 0
  fi
  # Missing images build side by side: most of the time goes to downloads and unpacking.
  for image in $(named_images); do
    have_image "$image" || { command -v mmdebstrap >/dev/null || apt_install mmdebstrap; break; }
  done
  local -a pids=()
  for image in $(named_images); do
    seed_image "$image" &
    pids+=($!)
  done
  local pid failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "a stand-in image failed to build"
  echo "COMPOSE=$compose"
}

main "$@" </dev/null
