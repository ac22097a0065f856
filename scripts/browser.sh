#!/usr/bin/env bash
# Make Debian's Chromium available for the console's browser tests (npm run test:browser drives it through
# playwright-core). Idempotent: does nothing when a chromium binary is already installed. Needs root for apt-get.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

for bin in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$bin" ]; then
    echo "[browser.sh] using $bin ($("$bin" --version 2>/dev/null || echo 'version unknown'))" >&2
    exit 0
  fi
done

if [ "$(id -u)" != 0 ]; then
  echo "[browser.sh] chromium is missing and installing it needs root: apt-get install -y chromium" >&2
  exit 1
fi
echo "[browser.sh] installing chromium" >&2
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
echo "[browser.sh] installed $(/usr/bin/chromium --version 2>/dev/null)" >&2
