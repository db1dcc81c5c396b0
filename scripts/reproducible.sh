#!/usr/bin/env bash
# Are release builds reproducible? Builds the release twice from one source tarball, each time
# offline (tests/package/offline-build.sh --release: unpacked in a new folder, inside a network
# namespace, with its own new target folder), then compares the results byte for byte: the
# binary inside the .deb and inside the .rpm, and the packages. With RELEASE_DIR (a folder from
# `make package`) it also compares against the binary built online from the git checkout.
# Long: two cold release builds with LTO. Run it by hand; docs/releasing.md records the result.
#   scripts/reproducible.sh [RELEASE_DIR]
# Prints one line per comparison and ends with "reproducible: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/package/checks.sh
release_dir=${1:-}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# Two release builds and their sources come to about 10 GB: the folder is removed at the end,
# unless KEEP=1 (then it is kept for inspection, and printed).
work=$(mktemp -d "${TMPDIR:-/tmp}/packplan-reproducible.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then echo "==> working in $work (kept: KEEP=1)"
else echo "==> working in $work (removed at the end; KEEP=1 keeps it)"; trap 'rm -rf "$work"' EXIT; fi
scripts/source-release.sh --out "$work/media" || exit 1
# Two builds in folders of different names and depths, each with a new target folder.
declare -A into=([a]="$work/a" [b]="$work/second-build/b")
for run in a b; do
  start=$SECONDS
  tests/package/offline-build.sh --release --tarball "$work/media/packplan-$version-src.tar.gz" \
    --into "${into[$run]}" >"$work/build-$run.log" 2>&1
  echo "build $run: exit $?, $((SECONDS - start)) s (log: $work/build-$run.log)"
done

# unpack KIND FILE DIR: the files a package installs, under DIR.
unpack() {
  mkdir -p "$3"
  case $1 in
    deb) dpkg-deb -x "$2" "$3" ;;
    rpm) rpm2archive - <"$2" | tar -xz -C "$3" ;;
  esac
}
# differ A B: how many bytes of A and B differ (and the sizes when they differ).
differ() {
  cmp -s "$1" "$2" && return 0
  echo "$(cmp -l "$1" "$2" 2>/dev/null | wc -l) bytes differ ($(stat -c %s "$1") and $(stat -c %s "$2") bytes)"
  return 1
}
for kind in deb rpm; do
  a=$(ls "${into[a]}/site/"*/target/release/bundle/$kind/*."$kind") b=$(ls "${into[b]}/site/"*/target/release/bundle/$kind/*."$kind")
  unpack "$kind" "$a" "$work/$kind-a"; unpack "$kind" "$b" "$work/$kind-b"
  check "the binary in the .$kind is byte-identical in both builds" differ "$work/$kind-a/usr/bin/packplan" "$work/$kind-b/usr/bin/packplan"
  check "the files the .$kind installs are byte-identical" diff -r "$work/$kind-a" "$work/$kind-b"
  check "the .$kind itself is byte-identical" differ "$a" "$b"
done
if [ -n "$release_dir" ]; then
  unpack deb "$(ls "$release_dir"/*.deb)" "$work/deb-online"
  check "the offline build's binary is the one \`make package\` built online" differ "$work/deb-a/usr/bin/packplan" "$work/deb-online/usr/bin/packplan"
fi
sha256sum "$work"/deb-*/usr/bin/packplan "$work"/rpm-*/usr/bin/packplan
summary reproducible
