# Tryggkarta: the two commands a fresh machine needs are `make run` and `make test`.
# Each installs what is missing (scripts/setup.sh), then builds with cargo-leptos.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
SITE_ROOT := target/site
BIN := $(TARGET_DIR)/debug/tryggkarta
export LEPTOS_SITE_ROOT := $(SITE_ROOT)

.PHONY: run test build release vendor setup-build setup-test unit e2e lint bench clean

## Build and serve on http://127.0.0.1:3000 with SQLite under ./data/.
run: setup-build build
	mkdir -p data
	$(BIN) serve

## Install what is missing, then run every test: unit, integration (SQLite and
## PostgreSQL) and browser tests in headless Chromium.
test: setup-test build lint unit e2e

setup-build:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

build:
	cargo leptos build
	$(MAKE) --no-print-directory vendor

## An optimised build (small WASM, fast server) for deployment.
release: setup-build
	cargo leptos build --release
	$(MAKE) --no-print-directory vendor

## Third-party browser files come from npm (package-lock.json) at build time; never committed.
vendor:
	mkdir -p $(SITE_ROOT)/vendor/leaflet $(SITE_ROOT)/vendor/leaflet.heat $(SITE_ROOT)/vendor/leaflet.markercluster
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	      node_modules/leaflet/dist/images $(SITE_ROOT)/vendor/leaflet/
	cp node_modules/leaflet.heat/dist/leaflet-heat.js $(SITE_ROOT)/vendor/leaflet.heat/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(SITE_ROOT)/vendor/leaflet.markercluster/

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace

e2e:
	TRYGGKARTA_BIN=$(BIN) node --test --test-concurrency=1 tests/e2e/

## Speed: the hotspot engine's criterion benches (one core), the CLI against the Python
## route, and the lägesbild's hotspot request. Numbers go to docs/performance.md.
bench: setup-build
	taskset -c 0 cargo bench -p hotspot --bench hotspots
	scripts/bench/compare-python.sh
	scripts/bench/hotspot-endpoint.sh

clean:
	cargo clean
	rm -rf node_modules
