# Two entry points a new user needs: `make demo` and `make test`.
# Each installs what is missing (npm packages; Debian packages when a feature needs them), builds, then runs.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json

.PHONY: all deps system-deps build lint test demo bench clean

all: build

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

deps: $(NODE_MODULES_STAMP)

# Debian packages for the drivers (apt-get when root; see the script).
system-deps:
	bash scripts/install-deps.sh

# The executor's native spawner (C, N-API): npm ci builds it too; this rebuilds it when its source changes.
NATIVE_SPAWNER := build/Release/drover_spawn.node
$(NATIVE_SPAWNER): src/executor/native/spawn.c binding.gyp $(NODE_MODULES_STAMP)
	npm run build:native

# dist/ is rebuilt from scratch so no output of a renamed or deleted source lingers (tests run from dist/).
build: deps $(NATIVE_SPAWNER)
	rm -rf dist
	npm run build

lint: deps
	npx eslint src bench ui

test: build lint system-deps
	npm test

demo: build
	node dist/src/main.js run -logs examples/mock.nomad.hcl

bench: build system-deps
	npm run bench

clean:
	rm -rf dist
