#!/usr/bin/env bash
# Proves that the source release builds with no network: makes the tarball
# (scripts/source-release.sh), unpacks it into an empty folder and runs `make build-offline`
# there inside a network namespace that has only loopback, with an empty HOME and CARGO_HOME,
# so that neither this machine's Cargo registry nor its npm cache can stand in for the tarball.
#   tests/package/offline-build.sh            debug build (what `make test` runs)
#   tests/package/offline-build.sh --release  release build, as a site would (long: LTO)
#   ... --tarball FILE                         build that source release instead of making one
# The debug build uses this checkout's target folder (CARGO_TARGET_DIR), so the crates already
# compiled by `make test` are reused and only the workspace's own crates compile again: the run
# still proves that every crate and npm package comes from the tarball (Cargo and npm have no
# other source, and no network) and that the app, the .deb and the .rpm build; a cold build from
# vendor/ is the same compile with nothing more to fetch (docs/reproducible-builds.md has one timed).
# Prints one line per check and ends with "offline-build: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/package/checks.sh
args=(--debug) profile=debug tarball=""
while (($#)); do
  case $1 in
    --release) args=() profile=release ;;
    --tarball) tarball=$(realpath "${2:?--tarball needs a file}"); shift ;;
    *) echo "offline-build: unknown option '$1'; the options are --release and --tarball FILE" >&2; exit 2 ;;
  esac
  shift
done
export CARGO_TARGET_DIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
start=$SECONDS

if [ -z "$tarball" ]; then
  check "make the source tarball (scripts/source-release.sh)" scripts/source-release.sh --out "$work/media"
  tarball=$work/media/packplan-$version-src.tar.gz
fi
mkdir "$work/site" && tar -xzf "$tarball" -C "$work/site"
src=$work/site/packplan-$version-src
check "it holds vendor/, the offline Cargo config, npm-cache/, DEBIAN-PACKAGES.txt, SOURCE_DATE_EPOCH" \
  bash -c "cd '$src' && ls -d vendor/serde-[0-9]* >/dev/null && grep -q 'replace-with = \"vendored-sources\"' .cargo/config.toml && grep -q 'offline = true' .cargo/config.toml && test -d npm-cache/_cacache && grep -q libwebkit2gtk-4.1-dev DEBIAN-PACKAGES.txt && test -s SOURCE_DATE_EPOCH"
check "it holds no build output, installed packages, tools or keys" \
  bash -c "cd '$src' && test ! -e target -a ! -e ui/node_modules -a ! -e tests/e2e/node_modules -a ! -e .tools -a ! -e ui/dist && ! find . -name '*.key' -not -path './vendor/*' | grep ."

# The site: no network but loopback, and no caches of this machine.
mkdir -p "$work/home" "$work/cargo-home"
offline=(unshare -n); [ "$(id -u)" -eq 0 ] || offline=(unshare -rn)
site_env=(env HOME="$work/home" CARGO_HOME="$work/cargo-home" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
  RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" PATH="$PATH" npm_config_cache="$work/home/.npm")
inside() { "${offline[@]}" "${site_env[@]}" sh -c "ip link set lo up && cd '$src' && $1"; }
check "inside the namespace only loopback exists"      inside "test \"\$(ip -o link show | awk -F': ' '{print \$2}')\" = lo"
check "inside the namespace the registries cannot be reached" \
  inside "! node -e \"require('https').get('https://registry.npmjs.org/', () => process.exit(0)).on('error', () => process.exit(1))\""
echo "==> make build-offline ${args[*]} (inside the namespace)"
inside "make build-offline ARGS='${args[*]}'" 2>&1 | tee "$work/build.log" | grep -E '^(ok|FAIL|deb:|rpm:|==>)|error|Error' 
build_status=${PIPESTATUS[0]}
check "make build-offline builds the app, the .deb and the .rpm with no network" test "$build_status" -eq 0
check "the packages are there" \
  bash -c "ls '$CARGO_TARGET_DIR/$profile/bundle/deb/'*.deb '$CARGO_TARGET_DIR/$profile/bundle/rpm/'*.rpm"
check "nothing was fetched into the empty CARGO_HOME or the npm cache of HOME" \
  bash -c "test -z \"\$(ls -A '$work/cargo-home' | grep -v '^\\.package-cache')\" -a ! -d '$work/home/.npm/_cacache'"
echo "offline build: $((SECONDS - start)) s, tarball $(du -h "$tarball" | cut -f1)"
summary offline-build
