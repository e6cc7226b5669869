# Two commands for a fresh machine: `make demo` and `make test`. Both create or refresh .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# CPU machines get the CPU build of torch; machines with nvidia-smi keep their CUDA torch.
TORCH_SPEC ?= torch==2.13.0

.PHONY: install demo test clean

$(STAMP): requirements.txt Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH_SPEC)"
	$(PY) -m pip install -q -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	DS_ACCELERATOR=cpu $(PY) tools/demo.py

test: $(STAMP)
	DS_ACCELERATOR=cpu $(PY) -m pytest -q

clean:
	rm -rf $(VENV) demo_output
