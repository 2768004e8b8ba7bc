#!/usr/bin/env bash
# Keeps the build cache (CARGO_TARGET_DIR) from filling the disk without throwing away
# what is expensive to build again.
#
# Third-party crates build once and keep their file names, so they do not pile up. Our
# own crates do: every checkout path (a developer's, each CI clone) builds its own copy of
# app, server, the test binaries and the fuzz targets, a few gigabytes each. Past the
# limit those go first (any change rebuilds them anyway); only if the cache is still over
# the limit after that is it cleared.
#
#   scripts/prune-cache.sh [LIMIT_GB]    default 30
set -euo pipefail
cd "$(dirname "$0")/.."

limit=${1:-30}
cache=${CARGO_TARGET_DIR:-target}
[ -d "$cache" ] || exit 0
size() { du -s --block-size=1G "$cache" | cut -f1; }
[ "$(size)" -gt "$limit" ] || exit 0

echo "Byggcachen är över $limit GB: tar bort våra egna crates byggen (build cache over $limit GB: removing our own crates' builds)"
# Our libraries by name, with their fingerprints; and every test, bench and fuzz binary
# (whatever its file was called): the only executables cargo leaves in a deps folder.
ours="app|server|hotspot|tryggkarta|tryggkarta_tests|tryggkarta-tests|tryggkarta_fuzz|tryggkarta-fuzz"
find "$cache" -regextype posix-extended \
  \( -path '*/deps/*' -o -path '*/.fingerprint/*' -o -path '*/incremental/*' \) \
  -regex ".*/(lib)?($ours)-[0-9a-f]{16}[^/]*" -prune -exec rm -rf {} +
find "$cache" -path '*/deps/*' -type f -executable ! -name '*.*' -delete
if [ "$(size)" -gt "$limit" ]; then
  echo "Fortfarande över $limit GB: tömmer hela byggcachen (still over: clearing all of it)"
  rm -rf "$cache"
fi
echo "Byggcachen (build cache): $(du -sh "$cache" 2>/dev/null | cut -f1)"
