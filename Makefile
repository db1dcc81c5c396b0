# Packplan: the commands a developer and CI use. See README.md.
#   make run             set up what is missing, build, open the desktop window
#   make test            set up, then every check (ends with "N passed, N failed")
#   make package         the release folder: .deb, .rpm, SBOMs, signed SHA256SUMS (target/release/dist/)
#   make source-release  the source tarball with every crate and npm package, for building offline
#   make build-offline   in an unpacked source release: build the app and its packages with no network
.PHONY: setup ui build run test e2e package source-release build-offline bench clean

# CI keeps Cargo's build folder outside the fresh clone, so reruns are warm.
ifeq ($(CI),true)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/packplan-ci/target
endif

setup:
	scripts/setup.sh

ui: setup
	cd ui && npm run --silent build

# The developer's build, which the end-to-end tests drive through WebDriver (feature `webdriver`;
# packages are built without it).
build: ui
	cargo build --locked --features webdriver

run: build
	cargo run --locked --quiet --features webdriver -- $(ARGS)

test:
	scripts/test.sh

e2e: build
	cd tests/e2e && npm test

package: setup
	scripts/package.sh

source-release: setup
	scripts/source-release.sh

# No `setup` here: it would go online. ARGS=--debug for a debug build.
build-offline:
	scripts/build-offline.sh $(ARGS)

bench: setup
	scripts/bench.sh $(ARGS)

clean:
	cargo clean
	rm -rf ui/dist
