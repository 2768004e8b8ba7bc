#!/usr/bin/env bash
# Runs `make <stage>` for each stage given, in order, and ends with how long each took:
# CI shows only the end of its output, so that is where the time of each stage must be
# readable, also when a stage fails or the run is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
current=""
times=()
summary() {
  local status=$?
  echo
  echo "==> Tid per steg (time per stage)"
  for line in "${times[@]}"; do echo "    $line"; done
  if [ -n "$current" ]; then
    echo "    $current: avbröts efter $((SECONDS - stage_started)) s (stopped, exit $status)"
  fi
  echo "    totalt (total): $((SECONDS - started)) s"
}
trap summary EXIT
trap 'exit 143' TERM INT

for stage in "$@"; do
  current=$stage
  stage_started=$SECONDS
  echo "==> make $stage ($(date -u +%H:%M:%S) UTC)"
  make --no-print-directory "$stage"
  times+=("$stage: $((SECONDS - stage_started)) s")
  current=""
done
