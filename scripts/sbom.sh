#!/usr/bin/env bash
# Writes the release's CycloneDX SBOMs (JSON, CycloneDX 1.5) into DIR, beside the packages:
#   packplan-VERSION-crates.cdx.json   the Rust crates in the binary (cargo-cyclonedx)
#   packplan-VERSION-npm.cdx.json      the UI's npm packages in the binary (npm sbom)
# Each is cut to exactly what the binary contains (scripts/sbom.mjs says why and how), and
# tests/package/check-sbom.mjs checks them against `cargo tree` and the UI's build.
#   scripts/sbom.sh DIR       (after the build: it reads what the UI build bundled)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/sbom.sh DIR}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
triple=x86_64-unknown-linux-gnu
bundled=ui/node_modules/.packplan/bundled-packages.json
[ -x .tools/bin/cargo-cyclonedx ] || { echo "sbom: cargo-cyclonedx is not in .tools/; run scripts/setup.sh" >&2; exit 1; }
[ -f "$bundled" ] || { echo "sbom: $bundled is missing; build the UI first (cd ui && npm run build)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; rm -f packplan-sbom-raw.json src-tauri/core/packplan-sbom-raw.json' EXIT

# cargo-cyclonedx writes one file beside each workspace member's Cargo.toml; the root's is the app's.
PATH="$PWD/.tools/bin:$PATH" cargo cyclonedx --quiet --format json --spec-version 1.5 --target "$triple" \
  --no-build-deps --override-filename packplan-sbom-raw
mv packplan-sbom-raw.json "$tmp/crates.json"
cargo tree --locked -e normal --target "$triple" --prefix none -p packplan >"$tmp/tree.txt"
(cd ui && npm sbom --sbom-format cyclonedx --sbom-type application --package-lock-only) >"$tmp/npm.json"

node scripts/sbom.mjs crates "$tmp/crates.json" "$tmp/tree.txt" "$dir/packplan-$version-crates.cdx.json"
node scripts/sbom.mjs npm "$tmp/npm.json" "$bundled" "$dir/packplan-$version-npm.cdx.json"
