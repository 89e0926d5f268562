# Two commands on a fresh machine:  `make serve`  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH_STAMP := $(VENV)/.torch
# A CPU build of torch for the bench-gpu tests (a local wheel of this version is preferred).
TORCH_VERSION ?= 2.13.0

.PHONY: serve test install bench lint

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(TORCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet torch==$(TORCH_VERSION)
	touch $(TORCH_STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/gpubroker serve

test: $(STAMP) $(TORCH_STAMP)
	bash scripts/test.sh

bench: $(STAMP)
	$(BIN)/python bench/bench_market.py
	$(BIN)/python bench/bench_topsis.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy mathcore market/adapters
