#!/usr/bin/env bash
# Inspects a Packplan .deb as a user's package manager and desktop would see it.
#   tests/package/inspect-deb.sh FILE.deb [release|debug]
# Prints one line per check and ends with "package: N passed, N failed".
set -uo pipefail
deb=$1 profile=${2:-release}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
passed=0 failed=0
check() { # check DESCRIPTION CMD...
  local what=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed+1)); echo "ok   $what";
  else failed=$((failed+1)); echo "FAIL $what"; printf '     %s\n' "$out" | head -20; fi
}
field() { dpkg-deb -f "$deb" "$1"; }

check "package is named packplan"               test "$(field Package)" = packplan
check "version matches Cargo.toml"              test "$(field Version)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
check "architecture is amd64"                   test "$(field Architecture)" = amd64
check "depends on WebKitGTK 4.1 and GTK 3"      bash -c "dpkg-deb -f '$deb' Depends | grep -q libwebkit2gtk-4.1-0 && dpkg-deb -f '$deb' Depends | grep -q libgtk-3-0"
check "has a description"                       test -n "$(field Description)"
bin="$work/root/usr/bin/packplan"
check "installs /usr/bin/packplan, executable"  test -x "$bin"
check "the binary is an x86-64 ELF executable"  bash -c "file '$bin' | grep -q 'ELF 64-bit.*x86-64'"
check "the binary answers --version"            bash -c "'$bin' --version | grep -qx 'packplan $(field Version)'"
desktop=$(ls "$work/root/usr/share/applications/"*.desktop 2>/dev/null | head -1)
check "installs a .desktop entry"               test -n "$desktop"
check "the .desktop entry passes desktop-file-validate" desktop-file-validate "$desktop"
check "the .desktop entry starts packplan"      grep -Eq '^Exec=packplan( |$)' "$desktop"
check "the .desktop entry names its icon"       grep -Eq '^Icon=packplan$' "$desktop"
check "installs hicolor icons, 128x128 included" test -f "$work/root/usr/share/icons/hicolor/128x128/apps/packplan.png"
if [ "$profile" = release ]; then
  check "the release binary is stripped"        bash -c "file '$bin' | grep -q ', stripped'"
fi
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
