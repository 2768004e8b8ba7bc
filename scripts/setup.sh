#!/usr/bin/env bash
# Installs whatever this machine is missing to build, run and test Tryggkarta, and nothing
# that is already there. Called by `make run` and `make test`; safe to run again and again.
#
#   scripts/setup.sh build   Rust wasm target, cargo-leptos, wasm-bindgen-cli, npm packages
#   scripts/setup.sh test    all of the above, plus Chromium and a running PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-build}
CARGO_LEPTOS_VERSION=0.3.5
SCHEMATHESIS_VERSION=4.32.5
CARGO_FUZZ_VERSION=0.13.2
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Lägger till Rust-målet wasm32-unknown-unknown (adding the wasm target)"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "Installerar cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores)"
  # no_downloads: it takes wasm-bindgen and wasm-opt from PATH instead of the network.
  # Its own release profile links with fat LTO in one codegen unit, which more than doubles
  # the install on 2 cores and buys nothing for a build tool; the environment overrides it.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# The CLI must be exactly the wasm-bindgen version the lock file resolved, or the
# generated JS glue does not match the WASM module.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  say "Installerar wasm-bindgen-cli $wasm_bindgen_version"
  # Without --locked: the CLI's own lock names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi

# Leaflet, wasm-opt (binaryen) and the browser-test tools, at the versions in package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installerar npm-paket (npm ci)"
  npm ci --no-audit --no-fund
fi

if [ "$mode" = test ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "Installerar Chromium för webbläsartesterna (Debian package)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  fi
  if command -v pg_isready >/dev/null && ! pg_isready -q -h localhost; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      say "Startar PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    fi
  fi
  # schemathesis tests the REST API against its OpenAPI document (tests/api/). It lives in
  # its own virtual environment outside the checkout, at a pinned version.
  venv="$HOME/.cache/tryggkarta/venv"
  if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    say "Installerar schemathesis $SCHEMATHESIS_VERSION (PyPI, in $venv)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  # cargo-fuzz needs the nightly toolchain (sanitizer flags); the fuzz targets are in fuzz/.
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "Installerar Rust nightly för cargo-fuzz"
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    say "Installerar cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install "cargo-fuzz@$CARGO_FUZZ_VERSION" --locked
  fi
fi
