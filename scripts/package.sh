#!/usr/bin/env bash
# `make package`: Packplan's release files in one folder, checked and signed:
#   - the .deb and the .rpm, each inspected as a package manager and a desktop see it
#     (tests/package/inspect-deb.sh, inspect-rpm.sh);
#   - CycloneDX SBOMs of the Rust crates and the npm packages in the binary (scripts/sbom.sh);
#   - SHA256SUMS of every file, signed with minisign (scripts/sign-release.sh);
#   - then the folder checked as a site checks it, tampering included (tests/package/check-release.sh).
# The folder is $target/<profile>/dist/ (target/release/dist/); `make source-release` adds the
# source tarball to it.
#   scripts/package.sh            release build: stripped, LTO, reproducible (scripts/reproducible-env.sh)
#   scripts/package.sh --debug    debug build, the same files and checks (what `make test` runs, to save time)
#   scripts/package.sh --offline  only build and inspect the packages: `make build-offline` in an unpacked
#                                 source release, which has no SBOM tool and no signing key
# Signing: PACKPLAN_RELEASE_KEY=FILE, the release key's secret half (never in this repository);
# without it a throwaway test key signs, and the output says so.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release offline=0 flags=()
for arg in "$@"; do
  case $arg in
    --debug) profile=debug flags=(--debug) ;;
    --offline) offline=1; export PACKPLAN_OFFLINE_SITE=1 ;;
    *) echo "package: unknown option '$arg'; the options are --debug and --offline" >&2; exit 2 ;;
  esac
done
target=${CARGO_TARGET_DIR:-target}
bundle=$target/$profile/bundle
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
if [ "$profile" = release ]; then . scripts/reproducible-env.sh; fi

rm -f "$bundle"/deb/*.deb "$bundle"/rpm/*.rpm
TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri build "${flags[@]}" --bundles deb,rpm --ci
deb=$(ls "$bundle"/deb/*.deb) rpm=$(ls "$bundle"/rpm/*.rpm)
echo "built $deb ($(du -h "$deb" | cut -f1)) and $rpm ($(du -h "$rpm" | cut -f1))"
status=0
tests/package/inspect-deb.sh "$deb" "$profile" || status=1
tests/package/inspect-rpm.sh "$rpm" "$profile" || status=1
((offline)) && exit $status

# The release folder: the packages and their SBOMs (a source tarball of this version stays).
dist=$target/$profile/dist
mkdir -p "$dist"
find "$dist" -mindepth 1 -maxdepth 1 ! -name "packplan-$version-src.tar.gz" -exec rm -rf {} +
cp "$deb" "$rpm" "$dist/"
scripts/sbom.sh "$dist"
scripts/sign-release.sh "$dist"
tests/package/check-release.sh "$dist" "$target/$profile/packplan" || status=1
echo "release files in $dist"
exit $status
