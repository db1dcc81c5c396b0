#!/usr/bin/env bash
# Checks a signed release folder as a site would before installing from it, then shows that each
# kind of tampering is refused with a message that says what is wrong:
#   - `minisign -Vm SHA256SUMS`, `sha256sum -c` and `packplan verify-release` accept the folder;
#   - a changed file, a missing file, an extra file, an edited SHA256SUMS and a missing signature
#     are each refused, by `packplan verify-release` and by the standard tools;
#   - the SBOMs list what is in the binary (check-sbom.mjs).
#   tests/package/check-release.sh DIR PACKPLAN_BINARY
# Prints one line per check and ends with "release: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=$1 packplan=$(realpath "$2")
. tests/package/checks.sh
. scripts/release-key.sh
release_key "$dir"
public=$(realpath "$release_public")
key=(--key "$public"); ((release_is_real)) && key=()
# Beside the folder, so that its copies can be hard links (same file system).
work=$(mktemp -d "$(dirname "$(realpath "$dir")")/check-release.XXXXXX"); trap 'rm -rf "$work"' EXIT

# refused WHAT EXPECTED: `packplan verify-release` on $work/copy fails, saying EXPECTED.
refused() {
  local out
  if out=$("$packplan" verify-release "$work/copy" "${key[@]}" 2>&1); then echo "accepted: $out"; return 1; fi
  grep -Fq -- "$1" <<<"$out" || { echo "the message lacks \"$1\": $out"; return 1; }
}
fresh_copy() { rm -rf "$work/copy" && cp -al "$(realpath "$dir")" "$work/copy"; }
# Replaces a file by a changed copy (a new file, so the hard-linked original is untouched).
tamper() { local f=$work/copy/$1; cp "$f" "$f.new" && printf 'x' >>"$f.new" && mv "$f.new" "$f"; }

deb=$(cd "$dir" && ls *.deb) rpm=$(cd "$dir" && ls *.rpm)
check "the folder holds the .deb, the .rpm, two SBOMs, SHA256SUMS and its signature" \
  test -n "$deb" -a -n "$rpm" -a "$(ls "$dir"/*.cdx.json | wc -l)" -eq 2 -a -f "$dir/SHA256SUMS" -a -f "$dir/SHA256SUMS.minisig"
check "SHA256SUMS lists every other file of the folder" \
  bash -c "diff <(cd '$dir' && ls | grep -vx 'SHA256SUMS\(.minisig\)\?') <(awk '{print \$2}' '$dir/SHA256SUMS' | sort)"
check "minisign -Vm SHA256SUMS accepts the signature"    minisign -Vm "$dir/SHA256SUMS" -p "$public"
check "sha256sum -c SHA256SUMS accepts every file"      bash -c "cd '$dir' && sha256sum -c --strict SHA256SUMS"
check "packplan verify-release accepts the folder"      bash -c "'$packplan' verify-release '$dir' ${key[*]} | grep -q 'is a complete release'"
if ((release_is_real)); then
  check "it is signed by the Packplan release key (assets/release/packplan-release.pub)" \
    bash -c "'$packplan' verify-release '$dir' | grep -q 'signed by the Packplan release key'"
else
  check "the built-in release key refuses this test-key folder, and says how to check one" \
    bash -c "! out=\$('$packplan' verify-release '$dir' 2>&1) && grep -q 'not with the Packplan release key' <<<\"\$out\" && grep -q -- '--key FILE.pub' <<<\"\$out\""
fi

fresh_copy; tamper "$deb"
check "a changed .deb is refused and named"             refused "$deb: changed since it was signed"
check "... and sha256sum -c refuses it too"             bash -c "cd '$work/copy' && ! sha256sum -c --quiet SHA256SUMS"
fresh_copy; rm "$work/copy/$rpm"
check "a missing .rpm is refused and named"             refused "$rpm: listed in SHA256SUMS but missing"
fresh_copy; echo '#!/bin/sh' >"$work/copy/install-first.sh"
check "an extra, unlisted file is refused and named"    refused "install-first.sh: not listed in SHA256SUMS"
fresh_copy; tamper "$deb"
sed "s/^[0-9a-f]\{64\}  $deb\$/$(sha256sum "$work/copy/$deb" | cut -d' ' -f1)  $deb/" "$dir/SHA256SUMS" >"$work/copy/SHA256SUMS.new" && mv "$work/copy/SHA256SUMS.new" "$work/copy/SHA256SUMS"
check "SHA256SUMS edited to match a changed file: packplan refuses the signature" refused "changed after signing"
check "... and minisign -Vm refuses it too"             bash -c "! minisign -Vm '$work/copy/SHA256SUMS' -p '$public' -q"
fresh_copy; rm "$work/copy/SHA256SUMS.minisig"
check "a folder without SHA256SUMS.minisig is refused"  refused "is not signed (SHA256SUMS.minisig is missing)"
fresh_copy; minisign -G -W -p "$work/forger.pub" -s "$work/forger.key" >/dev/null
rm "$work/copy/SHA256SUMS.minisig"; minisign -S -s "$work/forger.key" -m "$work/copy/SHA256SUMS" >/dev/null
check "SHA256SUMS re-signed by another key is refused"  refused "is signed with the key"
summary release; status=$?
node tests/package/check-sbom.mjs "$dir" || status=1
exit $status
