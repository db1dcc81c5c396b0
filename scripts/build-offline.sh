#!/usr/bin/env bash
# `make build-offline`: builds the app, its .deb and its .rpm from an unpacked source release
# (make source-release) with no network at all: Rust crates from vendor/, npm packages from
# npm-cache/, nothing downloaded. The machine needs the Debian packages that DEBIAN-PACKAGES.txt
# lists, Rust 1.89+ and Node.js 20.19+. The packages land in target/<profile>/bundle/.
#   scripts/build-offline.sh           release build, as `make package` makes it (two builds of one
#                                      tarball with the same rustc give byte-identical binaries)
#   scripts/build-offline.sh --debug   debug build (quicker; what CI's offline test builds)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d vendor ] || [ ! -f .cargo/config.toml ] || [ ! -d npm-cache ]; then
  echo "build-offline: this is not an unpacked source release (it has no vendor/, .cargo/config.toml or npm-cache/); make one with \`make source-release\` on a connected machine, or use \`make package\` here" >&2
  exit 1
fi
case ${1:-} in --debug | "") ;; *) echo "build-offline: unknown option '$1'; the option is --debug" >&2; exit 2 ;; esac
export CARGO_NET_OFFLINE=true npm_config_offline=true
scripts/setup.sh --offline
scripts/package.sh --offline "$@"
