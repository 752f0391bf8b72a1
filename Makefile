# alliance-kg: every target is one command; `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  ?= build
SHARED ?= ../shared

.DEFAULT_GOAL := help
.PHONY: help install build run test lint format eval sample clean bench bench-peers browser virtuoso exports figures

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its test tools

FIGURES_STAMP := $(VENV)/.figures
$(FIGURES_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,figures]'
	touch $(FIGURES_STAMP)

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

N ?= 60
sample: build ## print N random extracted facts with their source sentences, for review
	$(BIN)/alliance-kg sample --build-dir $(BUILD) -n $(N)

clean: ## remove builds (keeps .venv)
	rm -rf $(BUILD) .$(BUILD).*

# Each benchmark writes bench/results/NAME.json; bench/summary.py renders them all (the table in
# the README). Add a benchmark as one more line before the summary.
bench: $(STAMP) bench-peers ## all benchmarks; writes bench/results/*.json and summary.md
	$(BIN)/python bench/build_cost.py
	$(BIN)/python bench/endpoint.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/reasoning.py
	$(BIN)/python bench/summary.py

virtuoso: ## install Debian's Virtuoso for the peer comparison (best-effort: without it, bench-peers compares with recorded figures)
	@command -v virtuoso-t >/dev/null 2>&1 \
		|| (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends virtuoso-opensource-7) \
		|| echo "virtuoso could not be installed; bench-peers will compare with the recorded figures"

bench-peers: $(STAMP) virtuoso ## the endpoint on ../shared/bench-peers beside Virtuoso (skips without ../shared)
	$(BIN)/python bench/peers.py

EXPORTS ?= exports
exports: build ## every view for Gephi (GEXF, timeline GEXF, GraphML, CSV) and the RDF dumps into exports/
	@mkdir -p $(EXPORTS)
	@for view in entities coparticipation actor-event lineage; do \
		$(BIN)/alliance-kg export gexf --view $$view --build-dir $(BUILD) --out $(EXPORTS)/$$view.gexf && \
		$(BIN)/alliance-kg export gexf --view $$view --dynamic --build-dir $(BUILD) --out $(EXPORTS)/$$view-timeline.gexf && \
		$(BIN)/alliance-kg export graphml --view $$view --build-dir $(BUILD) --out $(EXPORTS)/$$view.graphml && \
		$(BIN)/alliance-kg export csv --view $$view --build-dir $(BUILD) --out $(EXPORTS)/$$view-csv || exit 1; \
	done
	@for pair in nquads:nq trig:trig turtle:ttl jsonld:jsonld; do \
		$(BIN)/alliance-kg export $${pair%%:*} --build-dir $(BUILD) --out $(EXPORTS)/alliance-kg.$${pair##*:} || exit 1; \
	done

figures: $(FIGURES_STAMP) build ## draw the README's picture of the co-participation network (docs/coparticipation.png)
	$(BIN)/python docs/figures.py --build-dir $(BUILD) --out docs
