#!/usr/bin/env bash
# `make source-release`: packplan-VERSION-src.tar.gz, the source of the checked-out commit plus
# everything its build would otherwise fetch from the network:
#   vendor/, .cargo/config.toml   every Rust crate of Cargo.lock (cargo vendor), and the Cargo config
#                                 that takes crates from vendor/ only and never goes online
#   npm-cache/                    the npm packages of ui/ and tests/e2e/ as an npm cache, for
#                                 `npm ci --offline --cache npm-cache` (x86-64 Linux packages only)
#   DEBIAN-PACKAGES.txt           the Debian packages the build needs, at the versions it was made
#                                 with, and the toolchains
#   SOURCE_DATE_EPOCH             the commit's time, which release builds stamp (reproducible builds)
# In the unpacked tarball, `make build-offline` builds the app and its packages with no network.
#   scripts/source-release.sh             into target/release/dist/, which it then signs again
#   scripts/source-release.sh --out DIR   into DIR, unsigned (tests/package/offline-build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=""
case ${1:-} in
  --out) out=${2:?--out needs a folder} ;;
  "") ;;
  *) echo "source-release: unknown option '$1'; the option is --out DIR" >&2; exit 2 ;;
esac
say() { printf '==> %s\n' "$*"; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
name=packplan-$version-src
target=${CARGO_TARGET_DIR:-target}
work=$(realpath -m "$target/source-release")
stage=$work/$name
dest=$(realpath -m "${out:-$target/release/dist}")
rm -rf "$work" && mkdir -p "$work" "$dest"

commit=$(git rev-parse HEAD)
git diff --quiet HEAD || say "note: uncommitted changes are not in the source release; it holds the commit ${commit:0:12}"
git archive --format=tar --prefix="$name/" HEAD | tar -x -C "$work"
epoch=$(git log -1 --format=%ct)
echo "$epoch" >"$stage/SOURCE_DATE_EPOCH"

say "vendoring the Rust crates of Cargo.lock"
mkdir -p "$stage/.cargo"
vendor_config=$(cd "$stage" && cargo vendor --locked --versioned-dirs vendor 2>"$work/vendor.log") \
  || { cat "$work/vendor.log" >&2; exit 1; }
grep -q 'replace-with = "vendored-sources"' <<<"$vendor_config" \
  || { echo "source-release: cargo vendor did not print its source replacement" >&2; exit 1; }
cat >"$stage/.cargo/config.toml" <<CONFIG
# Written by make source-release: Cargo takes every crate from vendor/ and never goes online.
$vendor_config

[net]
offline = true
CONFIG

say "caching the npm packages of ui/ and tests/e2e/"
for dir in ui tests/e2e; do
  (cd "$stage/$dir" && npm ci --cache "$stage/npm-cache" --ignore-scripts --no-audit --no-fund --loglevel=error)
  rm -rf "${stage:?}/$dir/node_modules"
done
rm -rf "$stage/npm-cache/_logs" "$stage/npm-cache/_update-notifier-last-checked"

packages=$(scripts/setup.sh --debian-packages)
{
  echo "# The Debian packages that \`make build-offline\` needs (Debian 12 or Ubuntu 22.04 and later):"
  echo "#   apt-get install $(echo $packages)"
  echo "# with Rust $(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1) or newer and Node.js 20.19 or newer. This source release (commit ${commit:0:12})"
  echo "# was made and tested with $(rustc --version), Node.js $(node --version) and these versions;"
  echo "# builds of this tarball with that rustc give byte-identical binaries (docs/releasing.md)."
  for p in $packages; do dpkg-query -W -f='${Package} ${Version}\n' "$p" 2>/dev/null || echo "$p (not installed here)"; done
} >"$stage/DEBIAN-PACKAGES.txt"

say "writing $dest/$name.tar.gz"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -C "$work" -cf - "$name" | gzip -n >"$dest/$name.tar.gz"
rm -rf "$work"
echo "wrote $dest/$name.tar.gz ($(du -h "$dest/$name.tar.gz" | cut -f1))"
[ -n "$out" ] || scripts/sign-release.sh "$dest"
