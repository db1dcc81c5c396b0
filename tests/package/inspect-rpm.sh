#!/usr/bin/env bash
# Inspects a Packplan .rpm as dnf and a user's desktop would see it (`rpm -qip`, `rpm -qlp`,
# `rpm -qpR`, and the files it installs).
#   tests/package/inspect-rpm.sh FILE.rpm [release|debug]
# Prints one line per check and ends with "rpm: N passed, N failed".
set -uo pipefail
rpm_file=$(realpath "$1") profile=${2:-release}
cd "$(dirname "$0")/../.."
. tests/package/checks.sh
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/root"
rpm2archive - <"$rpm_file" | tar -xz -C "$work/root"
tag() { rpm -qp --queryformat "%{$1}" "$rpm_file" 2>/dev/null; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
bin="$work/root/usr/bin/packplan"
glibc=$(glibc_needed "$bin")
requires=$(rpm -qpR "$rpm_file" 2>/dev/null)

check "rpm -qip reads the package"              rpm -qip "$rpm_file"
check "package is named packplan"               test "$(tag NAME)" = packplan
check "version matches Cargo.toml"              test "$(tag VERSION)" = "$version"
check "release is 1"                            test "$(tag RELEASE)" = 1
check "architecture is x86_64"                  test "$(tag ARCH)" = x86_64
check "licence is Apache-2.0"                   test "$(tag LICENSE)" = Apache-2.0
check "has a summary and a description"         test -n "$(tag SUMMARY)" -a -n "$(tag DESCRIPTION)"
check "requires WebKitGTK 4.1 (webkit2gtk4.1)"  grep -Fxq 'libwebkit2gtk-4.1.so.0()(64bit)' <<<"$requires"
# Every library the binary links must be required, so dnf refuses a system that lacks one
# (RHEL 9: no webkit2gtk4.1) instead of installing an app that cannot start.
for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  check "requires $lib, which the binary links"  grep -Fxq "$lib()(64bit)" <<<"$requires"
done
check "requires the glibc the binary needs (GLIBC_$glibc)" grep -Fxq "libc.so.6(GLIBC_$glibc)(64bit)" <<<"$requires"
files=$(rpm -qlp "$rpm_file" 2>/dev/null)
check "rpm -qlp lists /usr/bin/packplan"        grep -Fxq /usr/bin/packplan <<<"$files"
check "rpm -qlp lists the .desktop entry"       grep -Eq '^/usr/share/applications/[^/]+\.desktop$' <<<"$files"
check "rpm -qlp lists the 128x128 icon"         grep -Fxq /usr/share/icons/hicolor/128x128/apps/packplan.png <<<"$files"
check_installed_tree "$work/root" "$version" "$profile"
# Uninstalling must never touch the vault: the package owns nothing outside /usr and runs no script.
check "installs files only under /usr (nothing in a home or vault folder)" \
                                                bash -c "! grep -Ev '^/usr/' <<<'$files'"
check "has no scriptlets (nothing runs on install or removal)" \
                                                test -z "$(rpm -qp --scripts "$rpm_file" 2>/dev/null)"
summary rpm
