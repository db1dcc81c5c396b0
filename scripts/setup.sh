#!/usr/bin/env bash
# Installs what Packplan needs to build, run, test and package, and nothing that is
# already there. Idempotent; uses only apt, crates.io and npm (no downloaded binaries).
#   scripts/setup.sh                      everything (build, run, test, package)
#   scripts/setup.sh --offline            in an unpacked source release (`make build-offline`): installs
#                                         nothing from the network; checks the Debian packages and the
#                                         toolchains, and installs the npm packages from its npm-cache/
#   scripts/setup.sh --debian-packages    prints the Debian packages that building and packaging need
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }
offline=0
case ${1:-} in
  --offline) offline=1 ;;
  --debian-packages) ;;
  "") ;;
  *) die "unknown option '$1'; the options are --offline and --debian-packages" ;;
esac

# --- system packages (Debian 12 / Ubuntu 22.04+) -------------------------------
# What building the app and its packages needs (the source release lists these, DEBIAN-PACKAGES.txt) ...
apt_build=(
  build-essential pkg-config file
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libssl-dev   # Tauri + SQLCipher's libcrypto
  desktop-file-utils dpkg-dev rpm                              # package inspection (.deb and .rpm)
)
# ... and what making a release and the checks need.
apt_test=(
  curl python3                                                 # python3: the bench tables (scripts/bench_table.py) and their tests
  minisign                                                     # release signatures; an oracle for bundles
  webkit2gtk-driver xvfb xauth xdotool                         # end-to-end tests in the real webview (xdotool: the real GTK dialogs)
  xclip                                                        # end-to-end tests: what "Copy chart" put on the clipboard
  age libarchive-tools                                         # interoperability oracles for bundles (bsdtar: the tar dialects)
  glpk-utils                                                   # an independent LP solver to check MPS exports
  sqlite3                                                      # the import benchmark's yardstick (`sqlite3 .import`)
  strace iproute2 util-linux                                   # no-network proofs: connect trace, loopback-only namespace
  poppler-utils librsvg2-bin fonts-dejavu-core                 # oracles for exports: pdftotext/pdftoppm, a second SVG renderer
  imagemagick                                                  # end-to-end screenshots, taken from the X display (`import`)
)
if [ "${1:-}" = --debian-packages ]; then printf '%s\n' "${apt_build[@]}"; exit 0; fi
apt_packages=("${apt_build[@]}")
((offline)) || apt_packages+=("${apt_test[@]}")
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})) && ((offline)); then
  die "these Debian packages are missing: ${missing[*]}; install them (apt-get install ${missing[*]}, from your site's Debian mirror or media) and run this again"
elif ((${#missing[@]})); then
  say "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- toolchains ------------------------------------------------------------------
command -v cargo >/dev/null || die "Rust is not installed; install rustup (https://rustup.rs) and run this again"
# The toolchain every build and check uses is pinned in rust-toolchain.toml; rustup
# installs it here once, with clippy and rustfmt, rather than in the middle of a build
# (offline, in a source release, it must already be installed).
if command -v rustup >/dev/null; then
  toolchain=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
  if ! rustup toolchain list | grep -q "^$toolchain-"; then
    ((offline)) && die "Rust $toolchain (rust-toolchain.toml) is not installed and this is an offline build; install it with rustup on a connected machine first"
    say "installing Rust $toolchain (rust-toolchain.toml)"
    rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt
  fi
fi
command -v node >/dev/null || die "Node.js is not installed; install Node.js 20.19 or newer and run this again"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js $(node --version) is too old; Vite needs 20.19 or newer"

# --- npm packages (the UI, Tauri's CLI, the end-to-end client) -------------------
# Install scripts are not run: nothing here needs them, and some would try to download drivers.
# Offline, the packages come from the source release's npm cache and nowhere else.
npm_flags=(--ignore-scripts --no-audit --no-fund --loglevel=error)
if ((offline)); then
  [ -d npm-cache ] || die "there is no npm-cache/ here: --offline works in an unpacked source release (make source-release)"
  npm_flags+=(--offline --cache "$PWD/npm-cache")
fi
npm_install() {
  local dir=$1 stamp="$1/node_modules/.packplan-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  say "installing npm packages in $dir"
  (cd "$dir" && npm ci "${npm_flags[@]}")
  cp "$dir/package-lock.json" "$stamp"
}
npm_install ui
npm_install tests/e2e
if ((offline)); then say "set-up checked: Debian packages, Rust, Node.js and the npm packages are here"; exit 0; fi

# --- tools, into the project-local .tools/ -----------------------------------------
# tauri-driver: the WebDriver server of the end-to-end tests.
if [ ! -x .tools/bin/tauri-driver ]; then
  say "installing tauri-driver into .tools/"
  cargo install --locked --quiet tauri-driver --version 2.1.0 --root .tools
fi
# cargo-cyclonedx: the release's SBOM of the Rust crates (scripts/sbom.sh).
if [ ! -x .tools/bin/cargo-cyclonedx ]; then
  say "installing cargo-cyclonedx into .tools/"
  cargo install --locked --quiet cargo-cyclonedx --version 0.5.9 --root .tools
fi
say "setup complete"
