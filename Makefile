# Atrium: the two commands are `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# Where cargo builds; CI points this outside the clone so warm runs reuse it.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
TEST_HOME := $(CURDIR)/.atrium/test
SSR := -p server -p app --features server/test-support,app/ssr
HYDRATE := -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown

.PHONY: run test tools lint unit e2e bench-pages bench-leads stop-db clean-db

# Deletes a private cluster's home. As root, when the postgres user could not reach the home, the cluster lives
# under /var/lib/atrium and <home>/postgres links to it: delete that folder too.
remove_home = if [[ -L "$(1)/postgres" ]]; then rm -rf "$$(readlink "$(1)/postgres")"; fi; rm -rf "$(1)"

## run: install tools, build (debug), start Atrium with a private PostgreSQL under .atrium/ unless DATABASE_URL is set
run: tools
	cargo leptos build --split
	exec "$(TARGET_DIR)/debug/server"

## test: formatting and lints, unit + integration tests on real PostgreSQL, then the browser suite on a release build
test: tools lint unit e2e

tools:
	@.ci/install-tools.sh

lint:
	cargo fmt --all --check
	.ci/browser-deps.sh
	cargo clippy $(SSR) --all-targets -- -D warnings
	cargo clippy $(HYDRATE) -- -D warnings

## unit: unit and integration tests; a fresh private test cluster, stopped afterwards whatever happens. Built
## first, then run under a time limit (they take about 3 minutes): a test that hangs fails the run with a message
## instead of eating CI's whole budget.
UNIT_LIMIT ?= 20m
unit:
	@$(MAKE) --no-print-directory stop-db
	$(call remove_home,$(TEST_HOME))
	cargo test $(SSR) --no-run
	status=0; ATRIUM_TEST_HOME="$(TEST_HOME)" timeout $(UNIT_LIMIT) cargo test $(SSR) || status=$$?; \
	  if [[ $$status == 124 ]]; then echo "unit: the tests still ran after $(UNIT_LIMIT); one hangs" >&2; fi; \
	  $(MAKE) --no-print-directory stop-db; exit $$status

## e2e: release build (wasm-opt'd, split per lazy route, hashed names, precompressed) and Playwright in Chromium
e2e:
	cargo leptos build --release --precompress --split
	ATRIUM_SERVER_BIN="$(TARGET_DIR)/release/server" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
	  npx playwright test --config end2end/playwright.config.ts

## bench-pages: the signed-in request path under load (needs `wrk`; run after a release build, e.g. `make e2e`)
bench-pages:
	SERVER_BIN="$(TARGET_DIR)/release/server" server/benches/pages.sh

## bench-leads: the CRM's leads table under load, 5,000 leads (needs `wrk` and `oha`; after a release build)
bench-leads:
	SERVER_BIN="$(TARGET_DIR)/release/server" server/benches/leads.sh

stop-db:
	@if [[ -x "$(TARGET_DIR)/debug/server" && -d "$(TEST_HOME)/postgres" ]]; then \
	  ATRIUM_HOME="$(TEST_HOME)" "$(TARGET_DIR)/debug/server" stop-cluster; fi

## clean-db: delete the private development database (stop `make run` first)
clean-db:
	$(call remove_home,$(TEST_HOME))
	$(call remove_home,$(CURDIR)/.atrium)
