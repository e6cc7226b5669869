# Two commands for a fresh machine: `make demo` and `make test`. Both create or refresh .venv first
# and install this repository into it (`pip install -e ".[test]"`, console scripts included).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# CPU machines get the CPU build of torch, installed first so that pip never pulls a CUDA one.
# Machines with nvidia-smi keep their CUDA torch: the venv sees the system's packages and no torch
# is installed unless asked (`make TORCH_SPEC=torch==X ...`).
TORCH_SPEC ?= torch==2.13.0
HAS_NVIDIA_SMI := $(shell command -v nvidia-smi >/dev/null 2>&1 && echo yes)
ifeq ($(HAS_NVIDIA_SMI),yes)
VENV_FLAGS := --system-site-packages
ifeq ($(origin TORCH_SPEC),file)
TORCH_SPEC :=
endif
endif

# The Debian packages the README names: the sandbox, Coq with its libraries, CoqHammer and its provers, csdp for psatz.
DEBIAN_PACKAGES := bubblewrap coq libcoq-coquelicot libcoq-mathcomp-ssreflect libcoq-hammer eprover cvc4 z3 coinor-csdp

.PHONY: install debian-packages demo test clean

$(STAMP): pyproject.toml requirements.txt requirements-test.txt Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV_FLAGS) $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(if $(TORCH_SPEC),$(PY) -m pip install -q "$(TORCH_SPEC)",@echo "nvidia-smi found: keeping the installed torch (set TORCH_SPEC to install one)")
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP) debian-packages

# Quiet when every package is there (dpkg -s); installs the missing ones as root with apt-get, else prints the line to run.
debian-packages:
	@missing="$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || printf '%s ' $$p; done)"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian packages: $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q --no-install-recommends $$missing >/dev/null || \
		{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	else \
		echo "missing Debian packages; run as root: apt-get install -y $$missing"; \
	fi

demo: $(STAMP)
	DS_ACCELERATOR=cpu $(PY) tools/demo.py

test: $(STAMP)
	DS_ACCELERATOR=cpu $(PY) -m pytest -q

clean:
	rm -rf $(VENV) demo_output *.egg-info
