# Tryggkarta: the two commands a fresh machine needs are `make run` and `make test`.
# Each installs what is missing (scripts/setup.sh), then builds with cargo-leptos.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
SITE_ROOT := target/site
# What a municipality runs, and what the browser, soak, budget and Lighthouse tests test.
BIN := $(TARGET_DIR)/release/tryggkarta
DEV_BIN := $(TARGET_DIR)/debug/tryggkarta
export LEPTOS_SITE_ROOT := $(SITE_ROOT)

.PHONY: run dev test build release vendor setup-build setup-test unit e2e field fuzz lint bench clean

## Build the optimised release and serve on http://127.0.0.1:3000 with SQLite under ./data/.
run: setup-build release
	mkdir -p data
	$(BIN) serve

## The developer loop: an unoptimised build, much faster to make, same address.
dev: setup-build build
	mkdir -p data
	$(DEV_BIN) serve

## Install what is missing, then run every test: lint, unit and integration (SQLite and
## PostgreSQL), then against one release build: browser tests in headless Chromium, the
## soak, the first-visit budget, Lighthouse, fault proofs and schemathesis; then each
## fuzz target briefly.
## Each stage is its own make run, timed (scripts/stages.sh), so the end of the output says
## where the time went.
TEST_STAGES := setup-test lint unit release e2e field fuzz
test:
	scripts/stages.sh $(TEST_STAGES)

setup-build:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

build: vendor
	cargo leptos build --split

## An optimised build for deployment: small WASM (wasm-opt -Oz) split per page (lazy
## routes), content-hashed names, every file also as .br and .gz. Deploy hash.txt
## beside the binary.
release: setup-build vendor
	rm -rf $(SITE_ROOT)/pkg
	cargo leptos build --release --precompress --split
	@# A JS import wasm-bindgen takes straight from its file keeps the unhashed name in the
	@# WASM while the glue is renamed: no page would start (see app/src/ui/outbox.rs).
	@if grep -l 'import\*as [A-Za-z_$$]* from"\./snippets/' $(SITE_ROOT)/pkg/*.js; then \
	  echo "release: the glue imports a snippet whole; give that import an argument or an answer (app/src/ui/outbox.rs)"; exit 1; fi

## Third-party browser files come from npm (package-lock.json) at build time; never
## committed. Each goes to a folder named with its version (app/src/ui/assets.rs), which
## cargo-leptos copies into the site.
vendor:
	rm -rf public/vendor
	set -e; for pkg in leaflet leaflet.heat leaflet.markercluster; do \
	  mkdir -p public/vendor/$$pkg-$$(node -p "require('./node_modules/$$pkg/package.json').version"); \
	done
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	      node_modules/leaflet/dist/images public/vendor/leaflet-*/
	cp node_modules/leaflet.heat/dist/leaflet-heat.js public/vendor/leaflet.heat-*/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css public/vendor/leaflet.markercluster-*/

## Style and the rules of the house: rustfmt, clippy, and tools/house (no module circle,
## roles named only in app::domain::access, no file over 600 lines).
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo run --quiet -p house

unit:
	cargo test --workspace

e2e:
	TRYGGKARTA_BIN=$(BIN) node --test --test-concurrency=1 tests/e2e/

## Field readiness against the release build: the soak (every page, every role, many at
## once), the first-visit byte budget, photo memory, Lighthouse, the fault proofs and
## schemathesis against the OpenAPI document.
field:
	TRYGGKARTA_BIN=$(BIN) node --test --test-concurrency=1 tests/field/

## The cargo-fuzz targets (photos, the hotspot CLI's CSV, observation JSON), FUZZ_SECONDS
## each (30 in `make test`, longer in `make bench`).
fuzz:
	scripts/fuzz.sh

## Speed: the hotspot engine's criterion benches (one core), the CLI against the Python
## route, and the lägesbild's hotspot request. Numbers go to docs/performance.md.
bench: setup-build
	taskset -c 0 cargo bench -p hotspot --bench hotspots
	scripts/bench/compare-python.sh
	scripts/bench/hotspot-endpoint.sh

clean:
	cargo clean
	rm -rf node_modules
