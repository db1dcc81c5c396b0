#!/usr/bin/env bash
# `make package`: builds the .deb that users install and start by double-click,
# then inspects it (tests/package/inspect-deb.sh).
#   scripts/package.sh            release build: stripped, LTO
#   scripts/package.sh --debug    debug build, same layout (what `make test` checks, to save time)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release flags=()
if [ "${1:-}" = "--debug" ]; then profile=debug flags=(--debug); fi
target=${CARGO_TARGET_DIR:-target}
rm -f "$target/$profile/bundle/deb/"*.deb
TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri build "${flags[@]}" --bundles deb --ci
deb=$(ls "$target/$profile/bundle/deb/"*.deb)
echo "built $deb ($(du -h "$deb" | cut -f1))"
tests/package/inspect-deb.sh "$deb" "$profile"
