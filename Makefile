# The two commands of the README's quick start:
#   make sample   – create .venv and install on first use, then build the bundled sample into outputs/
#   make test     – the same set-up, then the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: sample test bench score clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# with the pip that python3 -m venv brings (22.x/23.x on Python 3.10/3.11), not an upgraded one:
	# that is what users install with, so CI proves it works
	$(PY) -m pip install -q -e ".[test]"
	touch $@

sample: $(VENV)/.installed
	$(VENV)/bin/kgbuild build --out outputs

test: $(VENV)/.installed
	$(PY) -m pytest -q

score: $(VENV)/.installed
	$(PY) ../shared/eval/score.py ../shared/eval/dev

bench: $(VENV)/.installed
	$(PY) benchmarks/build_speed.py --docs 400

clean:
	rm -rf outputs/graph.* outputs/*.png .pytest_cache
