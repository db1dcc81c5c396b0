#!/usr/bin/env bash
# Writes SHA256SUMS (sha256sum's format) of every file in the release folder DIR and signs it
# with minisign: DIR/SHA256SUMS.minisig. Then checks the signature with the public key.
#   PACKPLAN_RELEASE_KEY=FILE scripts/sign-release.sh DIR   a release (minisign asks the key's password)
#   scripts/sign-release.sh DIR                             a throwaway test key (scripts/release-key.sh)
# A site checks the folder with `packplan verify-release DIR` or `minisign -Vm SHA256SUMS -p
# packplan-release.pub` then `sha256sum -c SHA256SUMS` (docs/install.md).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/sign-release.sh DIR}
. scripts/release-key.sh
release_key "$dir" --new
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

rm -f "$dir/SHA256SUMS" "$dir/SHA256SUMS.minisig"
find "$dir" -mindepth 1 -maxdepth 1 ! -type f -printf 'sign-release: %f is not a file; a release folder holds only files\n' | grep . >&2 && exit 1
sums=$(cd "$dir" && find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort | xargs -d '\n' sha256sum --)
printf '%s\n' "$sums" >"$dir/SHA256SUMS"
minisign -S -s "$release_secret" -m "$dir/SHA256SUMS" -t "Packplan $version: SHA256SUMS of the release files"
if ! minisign -Vm "$dir/SHA256SUMS" -p "$release_public" -q; then
  rm -f "$dir/SHA256SUMS.minisig"
  echo "sign-release: the signature does not verify with $release_public: PACKPLAN_RELEASE_KEY is not the Packplan release key (the folder is left unsigned)" >&2
  exit 1
fi
echo "signed $dir/SHA256SUMS ($(wc -l <"$dir/SHA256SUMS") files) with $( ((release_is_real)) && echo "the Packplan release key" || echo "a THROWAWAY TEST KEY ($release_public): not a release; set PACKPLAN_RELEASE_KEY to sign one")"
