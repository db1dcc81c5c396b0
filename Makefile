# Packplan: the commands a developer and CI use. See README.md.
#   make run      set up what is missing, build, open the desktop window
#   make test     set up, then every check (ends with "N passed, N failed")
#   make package  build the release .deb and inspect it
.PHONY: setup ui build run test e2e package bench clean

# CI keeps Cargo's build folder outside the fresh clone, so reruns are warm.
ifeq ($(CI),true)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/packplan-ci/target
endif

setup:
	scripts/setup.sh

ui: setup
	cd ui && npm run --silent build

build: ui
	cargo build --locked

run: build
	cargo run --locked --quiet -- $(ARGS)

test:
	scripts/test.sh

e2e: build
	cd tests/e2e && npm test

package: setup
	scripts/package.sh

bench: setup
	scripts/bench.sh $(ARGS)

clean:
	cargo clean
	rm -rf ui/dist
