#!/usr/bin/env bash
# Runs every lint part, even after one fails, and prints a summary, so each part's state is visible at once.
cd "$(dirname "$0")/.."
failed=()
part() {
  local name=$1
  shift
  printf '\n---- lint: %s ----\n' "$name"
  if "$@"; then echo "ok: $name"; else failed+=("$name"); echo "FAILED: $name"; fi
}
part "format (biome)" npm run --silent lint:format
part "code (biome)" npm run --silent lint:code
part "layers (dependency-cruiser)" npm run --silent lint:layers
part "unused code (knip)" npm run --silent lint:unused
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nlint failed: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nlint passed\n'
