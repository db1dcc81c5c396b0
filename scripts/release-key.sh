#!/usr/bin/env bash
# Sourced by scripts/sign-release.sh and tests/package/check-release.sh: the key that signs a
# release folder's SHA256SUMS.
#   release_key DIR [--new]   sets release_secret, release_public and release_is_real:
#   - with PACKPLAN_RELEASE_KEY=FILE, the Packplan release key: FILE is its secret half (kept off
#     this repository, on the release manager's offline media), its public half is
#     assets/release/packplan-release.pub, which `packplan verify-release` has built in;
#   - otherwise a throwaway test key beside DIR (DIR/../test-release-key/), made anew with --new:
#     good for tests and trial runs, never for a release.
release_key() {
  local dir=$1 keys
  if [ -n "${PACKPLAN_RELEASE_KEY:-}" ]; then
    release_secret=$PACKPLAN_RELEASE_KEY release_public=assets/release/packplan-release.pub release_is_real=1
    [ -f "$release_secret" ] || { echo "release: PACKPLAN_RELEASE_KEY names $release_secret, which does not exist; give the release key's secret file" >&2; return 1; }
    return 0
  fi
  keys=$(dirname "$dir")/test-release-key
  release_secret=$keys/packplan-test.key release_public=$keys/packplan-test.pub release_is_real=0
  if [ "${2:-}" = --new ] || [ ! -f "$release_secret" ]; then
    rm -rf "$keys" && mkdir -p "$keys"
    minisign -G -W -p "$release_public" -s "$release_secret" >/dev/null
  fi
}
