# xiaoan — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark
WAREHOUSE ?= data/warehouse.duckdb
SAMPLE := data/sample/district
PORT   ?= 8501

.DEFAULT_GOAL := help
.PHONY: help setup browser spark run sample ingest serve test test-fast bench city city-serve clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "xiaoan needs $(PYTHON) on PATH (or run: make PYTHON=/path/to/python3.11 …)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the pinned packages

# The Spark engine of the city roll-up (issue 17): the [spark] extra (pyspark, a 456 MB package) and
# Java 17. `make test` and `make bench` install it; `make run` does not.
$(SPARK_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,spark]'
	@touch $(SPARK_STAMP)

sample: setup ## write the synthetic sample district into data/sample/district
	$(BIN)/xiaoan sample --out $(SAMPLE)

ingest: setup ## load the sample district (when the warehouse is empty)
	@if [ -f "$(WAREHOUSE)" ]; then echo "warehouse $(WAREHOUSE) exists: not loading the sample"; else \
	  $(BIN)/xiaoan sample --out $(SAMPLE) && $(BIN)/xiaoan ingest --warehouse $(WAREHOUSE) $(SAMPLE); fi

run: ingest ## set up, load the sample district if there is no data yet, start the dashboard
	$(BIN)/xiaoan serve --warehouse $(WAREHOUSE) --port $(PORT)

browser: setup ## install what the browser tests need (Debian chromium, CJK fonts) when missing
	@PYTHON=$(BIN)/python bash scripts/install_browser.sh || { \
	  echo "#################################################################"; \
	  echo "# WARNING: could not install chromium / fonts-noto-cjk:          #"; \
	  echo "# the real-browser tests will be SKIPPED (see the skip reasons).  #"; \
	  echo "#################################################################"; }

spark: $(SPARK_STAMP) ## install the Spark engine of the city roll-up (pyspark; Java 17 when missing)
	@bash scripts/install_java.sh || { \
	  echo "#################################################################"; \
	  echo "# WARNING: could not install Java (openjdk-17-jre-headless):     #"; \
	  echo "# the Spark tests of the city roll-up will be SKIPPED.           #"; \
	  echo "#################################################################"; }

# The suite runs on every core (pytest-xdist; 2 here and on CI). A test file stays on one worker:
# its module fixtures (a built district, a dashboard server, a browser) are made once. Files go
# out in collection order, where tests/conftest.py puts the files of slow and browser tests first.
# One worker: make test PYTEST_WORKERS=0.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: setup browser spark ## set up and run every test (installs the browser and Spark for their tests)
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

test-fast: setup ## the tests without the slow ones
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) -m "not slow"

bench: setup spark ## run the benchmarks (writes benchmarks/results/)
	$(BIN)/python -m benchmarks.run_all

clean: ## remove the virtual environment and generated data (keeps data/README.md and fixtures)
	rm -rf $(VENV) .pytest_cache .hypothesis $(SAMPLE) data/warehouse.duckdb* data/raw snapshots $(CITY)

# ---- the city (issue 17, docs/scale-out.md) ----
CITY ?= data/city
CITY_DISTRICTS ?= 5
CITY_END ?= $(shell date -d "$$(date +%Y-%m-01) -1 day" +%F)
CITY_ENGINE ?= duckdb

# the Spark engine's packages (and Java) when CITY_ENGINE=spark, before the roll-up needs them
city: setup $(if $(filter spark,$(CITY_ENGINE)),spark) ## a sample city: 5 districts → the lake data/city/lake (3 month ends) → the city roll-up data/city/rollup
	END=$(CITY_END) bash scripts/build_city_lake.sh $(CITY) $(CITY_DISTRICTS)
	$(BIN)/xiaoan city rollup --lake $(CITY)/lake --as-of $(CITY_END) --out $(CITY)/rollup --engine $(CITY_ENGINE)

city-serve: setup ## the city view over the lake of `make city` (xiaoan serve --lake data/city/lake)
	$(BIN)/xiaoan serve --lake $(CITY)/lake

# ---- snapshots, templates and notebooks (docs/deployment.md, notebooks/README.md) ----
.PHONY: snapshot templates nbstrip

snapshot: setup ## write the snapshot as of the end of last month into snapshots/ (keeps 36)
	$(BIN)/xiaoan export --warehouse $(WAREHOUSE) --as-of last-month-end --out snapshots --keep 36

templates: setup ## write blank ledgers, with the loaded registry's lists, into templates/
	$(BIN)/xiaoan template --warehouse $(WAREHOUSE) --out templates --force

nbstrip: setup ## remove outputs from notebooks/ before committing them
	$(BIN)/python scripts/strip_notebooks.py
