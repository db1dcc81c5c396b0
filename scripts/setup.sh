#!/usr/bin/env bash
# Installs what Packplan needs to build, run, test and package, and nothing that is
# already there. Idempotent; uses only apt, crates.io and npm (no downloaded binaries).
#   scripts/setup.sh          everything (build, run, test, package)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- system packages (Debian 12 / Ubuntu 22.04+) -------------------------------
apt_packages=(
  build-essential pkg-config curl file python3                 # python3: the bench tables (scripts/bench_table.py)
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libssl-dev   # Tauri + SQLCipher's libcrypto
  webkit2gtk-driver xvfb xauth xdotool                         # end-to-end tests in the real webview (xdotool: the real GTK dialogs)
  desktop-file-utils dpkg-dev                                  # package inspection
  age minisign libarchive-tools                                # interoperability oracles for bundles (bsdtar: the tar dialects)
  glpk-utils                                                   # an independent LP solver to check MPS exports
  strace iproute2 util-linux                                   # no-network proofs: connect trace, loopback-only namespace
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- toolchains ------------------------------------------------------------------
command -v cargo >/dev/null || die "Rust is not installed; install rustup (https://rustup.rs) and run this again"
# The toolchain every build and check uses is pinned in rust-toolchain.toml; rustup
# installs it here once, with clippy and rustfmt, rather than in the middle of a build.
if command -v rustup >/dev/null; then
  toolchain=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
  if ! rustup toolchain list | grep -q "^$toolchain-"; then
    say "installing Rust $toolchain (rust-toolchain.toml)"
    rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt
  fi
fi
command -v node >/dev/null || die "Node.js is not installed; install Node.js 20.19 or newer and run this again"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js $(node --version) is too old; Vite needs 20.19 or newer"

# --- npm packages (the UI, Tauri's CLI, the end-to-end client) -------------------
# Install scripts are not run: nothing here needs them, and some would try to download drivers.
npm_install() {
  local dir=$1 stamp="$1/node_modules/.packplan-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  say "installing npm packages in $dir"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}
npm_install ui
npm_install tests/e2e

# --- tauri-driver, into the project-local .tools/ ---------------------------------
if [ ! -x .tools/bin/tauri-driver ]; then
  say "installing tauri-driver into .tools/"
  cargo install --locked --quiet tauri-driver --version 2.1.0 --root .tools
fi
say "setup complete"
