#!/usr/bin/env bash
# Sourced by the package inspections (inspect-deb.sh, inspect-rpm.sh, check-release.sh):
#   check DESCRIPTION CMD...     runs CMD; prints "ok   DESCRIPTION" or "FAIL DESCRIPTION" and its output
#   summary NAME                 prints "NAME: N passed, N failed"; fails if any check failed
#   glibc_needed BINARY          the newest GLIBC_x.y symbol version BINARY needs (e.g. 2.35)
#   check_installed_tree ROOT VERSION PROFILE
#                                the files a package installs, unpacked under ROOT, as a user's
#                                desktop sees them: the binary, its menu entry, its icons
passed=0 failed=0
check() {
  local what=$1 out; shift
  if out=$("$@" 2>&1); then passed=$((passed+1)); echo "ok   $what";
  else failed=$((failed+1)); echo "FAIL $what"; printf '     %s\n' "$out" | head -20; fi
}
summary() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
glibc_needed() {
  objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1
}
check_installed_tree() {
  local root=$1 version=$2 profile=$3
  local bin="$root/usr/bin/packplan" desktop
  check "installs /usr/bin/packplan, executable"  test -x "$bin"
  check "the binary is an x86-64 ELF executable"  bash -c "file '$bin' | grep -q 'ELF 64-bit.*x86-64'"
  check "the binary answers --version"            bash -c "'$bin' --version | grep -qx 'packplan $version'"
  desktop=$(ls "$root/usr/share/applications/"*.desktop 2>/dev/null | head -1)
  check "installs a .desktop entry"               test -n "$desktop"
  check "the .desktop entry passes desktop-file-validate" desktop-file-validate "$desktop"
  check "the .desktop entry starts packplan"      grep -Eq '^Exec=packplan( |$)' "$desktop"
  check "the .desktop entry names its icon"       grep -Eq '^Icon=packplan$' "$desktop"
  check "installs hicolor icons, 128x128 included" test -f "$root/usr/share/icons/hicolor/128x128/apps/packplan.png"
  if [ "$profile" = release ]; then
    check "the release binary is stripped"        bash -c "file '$bin' | grep -q ', stripped'"
  fi
}
