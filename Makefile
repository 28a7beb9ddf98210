# Each target does its own set-up: a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: plan test bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

plan: $(STAMP)
	$(BIN)/plan-routes scenarios/pesawaran-2018.yaml -o pesawaran-2018-plan

test: $(STAMP)
	@bash tests/setup_browser.sh
	$(BIN)/python -m pytest -q --nbmake tests notebooks

bench: $(STAMP)
	$(BIN)/python bench/travel.py

clean:
	rm -rf $(VENV) *-plan
