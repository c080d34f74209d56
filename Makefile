# Two commands on a fresh machine with Python 3.11+:
#   make run   - build, infer, validate, query and write the release to dist/
#   make test  - run the whole test suite (on JOBS cores, 2 by default)
#   make test-fast - the edit loop: everything but the slow tests (browser, Java, stores, subprocess builds)
PYTHON ?= python3
JOBS   ?= 2
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast bench clean

run: $(VENV)/.installed
	$(BIN)/dispute-kg build --out dist
	$(BIN)/dispute-kg query approvals-before-meetings --param meeting=event:kono-kang-meeting-beijing-2019-08-21

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(JOBS)

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow"

# Not part of the test run: times every stage against the plain way at 10^3..10^6
# triples (about 15 minutes on 2 cores) and writes benchmarks/results/.
bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install -q -e '.[bench,test]'
	$(BIN)/python -m benchmarks.run

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache
