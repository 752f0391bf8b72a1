# alliance-kg: every target is one command; `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  ?= build
SHARED ?= ../shared

.DEFAULT_GOAL := help
.PHONY: help install build run test lint format eval clean bench browser

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its test tools

build: $(STAMP) ## build the knowledge graph of data/corpus into build/
	$(BIN)/alliance-kg build --build-dir $(BUILD)

run: build ## set up, build the default corpus and serve it on http://127.0.0.1:5000
	$(BIN)/alliance-kg serve --build-dir $(BUILD)

browser: ## install Chromium for the browser tests if missing (best-effort: without it they skip)
	@command -v chromium >/dev/null 2>&1 \
		|| (apt-get update && apt-get install -y --no-install-recommends chromium) \
		|| echo "chromium could not be installed; the browser tests will be skipped"

test: $(STAMP) browser ## lint and run the test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

lint: $(STAMP) ## ruff only
	$(BIN)/ruff check src tests bench

format: $(STAMP) ## apply ruff's import sorting and fixes
	$(BIN)/ruff check --fix src tests bench

eval: build ## score build/kg.nq against the dev gold facts in ../shared/eval
	$(BIN)/python $(SHARED)/eval/score.py $(BUILD)/kg.nq --facts $(SHARED)/eval/dev_facts.jsonl --misses 30

clean: ## remove builds (keeps .venv)
	rm -rf $(BUILD) .$(BUILD).*

bench: $(STAMP) ## benchmarks (build cost, inference and validation cost); writes bench/results/*.json
	$(BIN)/python bench/build_cost.py
	$(BIN)/python bench/reasoning.py
