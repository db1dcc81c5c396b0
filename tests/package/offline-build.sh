#!/usr/bin/env bash
# Proves that the source release builds with no network: makes the tarball
# (scripts/source-release.sh), unpacks it into an empty folder and runs `make build-offline`
# there inside a network namespace that has only loopback, with an empty HOME and CARGO_HOME,
# so that neither this machine's Cargo registry nor its npm cache can stand in for the tarball.
#   tests/package/offline-build.sh            debug build (what `make test` runs)
#   ... --release                              release build, as a site builds it (long: LTO)
#   ... --tarball FILE                         build that source release instead of making one
#   ... --into DIR                             unpack into DIR/site (default: $target/offline-build)
# A release build uses the unpacked folder's own target/, as a site's `make build-offline` does
# (a target folder outside the source changes a few bytes of the binary: docs/releasing.md).
# A debug build uses DIR/target, kept between runs:
# Cargo rebuilds a crate whose source folder moved, so a build from vendor/ cannot reuse the
# checkout's target folder. The default folder is fixed and kept instead: the first run compiles
# everything from vendor/ (about 6 minutes, debug, 2 cores); later runs of an unchanged
# Cargo.lock compile only the workspace's own crates. Every run still proves that every crate and
# npm package comes from the tarball (Cargo and npm have no other source, and no network).
# Prints one line per check and ends with "offline-build: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/package/checks.sh
args=(--debug) profile=debug tarball="" into=${CARGO_TARGET_DIR:-target}/offline-build
while (($#)); do
  case $1 in
    --release) args=() profile=release ;;
    --tarball) tarball=$(realpath "${2:?--tarball needs a file}"); shift ;;
    --into) into=${2:?--into needs a folder}; shift ;;
    *) echo "offline-build: unknown option '$1'; the options are --release, --tarball FILE, --into DIR" >&2; exit 2 ;;
  esac
  shift
done
into=$(realpath -m "$into")
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
start=$SECONDS

if [ -z "$tarball" ]; then
  check "make the source tarball (scripts/source-release.sh)" scripts/source-release.sh --out "$work/media"
  tarball=$work/media/packplan-$version-src.tar.gz
fi
rm -rf "$into/site" && mkdir -p "$into/site" && tar -xzf "$tarball" -C "$into/site"
src=$into/site/packplan-$version-src
build_target=$into/target
[ "$profile" = release ] && build_target=$src/target
check "it holds vendor/, the offline Cargo config, npm-cache/, DEBIAN-PACKAGES.txt, SOURCE_DATE_EPOCH" \
  bash -c "cd '$src' && ls -d vendor/serde-[0-9]* >/dev/null && grep -q 'replace-with = \"vendored-sources\"' .cargo/config.toml && grep -q 'offline = true' .cargo/config.toml && test -d npm-cache/_cacache && grep -q libwebkit2gtk-4.1-dev DEBIAN-PACKAGES.txt && test -s SOURCE_DATE_EPOCH"
check "it holds no build output, installed packages or tools" \
  bash -c "cd '$src' && test ! -e target -a ! -e ui/node_modules -a ! -e tests/e2e/node_modules -a ! -e .tools -a ! -e ui/dist"
# minisign secret keys start RWQAAEIy (unencrypted) or RWRTY0Iy (encrypted); the demo issuer's is published on purpose.
check "it holds no minisign secret key but the demo issuer's (no release key)" \
  bash -c "cd '$src' && test \"\$(grep -rlE '^(RWQAAEIy|RWRTY0Iy)' --exclude-dir=vendor --exclude-dir=npm-cache .)\" = ./assets/demo/keys/demo-issuer.key"

# The site: no network but loopback, and no caches of this machine.
mkdir -p "$work/home" "$work/cargo-home"
offline=(unshare -n); [ "$(id -u)" -eq 0 ] || offline=(unshare -rn)
site_env=(env HOME="$work/home" CARGO_HOME="$work/cargo-home" CARGO_TARGET_DIR="$build_target"
  RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" PATH="$PATH" npm_config_cache="$work/home/.npm")
# The debug build is a proof, not something to debug: without debug info it compiles and links faster.
[ "$profile" = debug ] && site_env+=(CARGO_PROFILE_DEV_DEBUG=0)
inside() { "${offline[@]}" "${site_env[@]}" sh -c "ip link set lo up && cd '$src' && $1"; }
check "inside the namespace only loopback exists"      inside "test \"\$(ip -o link show | awk -F': ' '{print \$2}')\" = lo"
check "inside the namespace the registries cannot be reached" \
  inside "! node -e \"require('https').get('https://registry.npmjs.org/', () => process.exit(0)).on('error', () => process.exit(1))\""
echo "==> make build-offline ${args[*]} (inside the namespace)"
inside "make build-offline ARGS='${args[*]}'" 2>&1 | tee "$work/build.log" | grep -E '^(ok|FAIL|deb:|rpm:|==>)|error|Error' 
build_status=${PIPESTATUS[0]}
check "make build-offline builds the app, the .deb and the .rpm with no network" test "$build_status" -eq 0
check "the packages are there" \
  bash -c "ls '$build_target/$profile/bundle/deb/'*.deb '$build_target/$profile/bundle/rpm/'*.rpm"
check "nothing was downloaded into the empty CARGO_HOME (no registry/, no git/) or into npm's cache in HOME" \
  bash -c "ls -A '$work/cargo-home'; test ! -e '$work/cargo-home/registry' -a ! -e '$work/cargo-home/git' -a ! -e '$work/home/.npm/_cacache'"
echo "offline build: $((SECONDS - start)) s, tarball $(du -h "$tarball" | cut -f1)"
summary offline-build
