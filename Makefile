# Two commands on a fresh machine:  `make serve`  and  `make test`.
#   make serve [PORT=8000] [HOST=127.0.0.1]   runtime dependencies only, then serve
#   make test                                 adds the dev extras and a CPU build of torch
PY ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
TORCH_STAMP := $(VENV)/.torch
# torch for the bench-gpu tests: the CPU build only, never the CUDA one. Linux CPU wheels
# carry "+cpu" (found in a local wheel folder when pip knows one, else PyTorch's CPU index);
# macOS wheels are CPU builds already.
TORCH_VERSION ?= 2.13.0
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
ifeq ($(shell uname -s),Darwin)
TORCH_SPEC := torch==$(TORCH_VERSION)
else
TORCH_SPEC := torch==$(TORCH_VERSION)+cpu
endif

.PHONY: serve test install install-dev bench lint

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

$(TORCH_STAMP): $(DEV_STAMP)
	$(BIN)/pip install --quiet --extra-index-url $(TORCH_CPU_INDEX) '$(TORCH_SPEC)'
	touch $(TORCH_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

serve: $(STAMP)
	$(BIN)/gpubroker serve --host $(HOST) --port $(PORT)

test: $(DEV_STAMP) $(TORCH_STAMP)
	bash scripts/ensure_services.sh
	bash scripts/ensure_tools.sh
	bash scripts/test.sh

bench: $(DEV_STAMP)
	$(BIN)/python bench/bench_market.py
	$(BIN)/python bench/bench_topsis.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy mathcore market/adapters
