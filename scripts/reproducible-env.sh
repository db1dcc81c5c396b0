#!/usr/bin/env bash
# Sourced by scripts/package.sh for release builds: what makes two builds of the same source give
# byte-identical binaries, whatever folder they run in (docs/releasing.md):
#   SOURCE_DATE_EPOCH    the commit's time (in a source release: its SOURCE_DATE_EPOCH file), for
#                        every tool that stamps a date
#   CARGO_INCREMENTAL=0  no incremental state
#   --remap-path-prefix  the source folder becomes /packplan, the target folder /target, and
#                        crates.io's sources (Cargo's registry, or a source release's vendor/)
#                        /crates, so that no path of the build machine is in the binary
# (codegen-units = 1, LTO and strip are in Cargo.toml's release profile.)
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  if [ -f SOURCE_DATE_EPOCH ]; then
    SOURCE_DATE_EPOCH=$(cat SOURCE_DATE_EPOCH)
  else
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
  fi
fi
export SOURCE_DATE_EPOCH CARGO_INCREMENTAL=0
remap=()
read -ra remap <<<"${RUSTFLAGS:-}"
remap+=("--remap-path-prefix=$PWD=/packplan")
mkdir -p "${CARGO_TARGET_DIR:-target}"
target_dir=$(realpath "${CARGO_TARGET_DIR:-target}")
remap+=("--remap-path-prefix=$target_dir=/target")
case $target_dir/ in
  "$PWD"/*) ;;
  *) echo "note: the target folder $target_dir is outside the source folder; the binary will differ in a few bytes from one built with target/ inside it, as \`make package\` and \`make build-offline\` do by default (docs/releasing.md)" >&2 ;;
esac
for src in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$src" ] && remap+=("--remap-path-prefix=${src%/}=/crates")
done
[ -d vendor ] && remap+=("--remap-path-prefix=$PWD/vendor=/crates")
# The last matching prefix wins, so vendor/ (inside the source folder) is mapped after it.
CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; echo "${remap[*]}")
export CARGO_ENCODED_RUSTFLAGS
unset RUSTFLAGS
