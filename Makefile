# Two commands: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEFAULT_MODEL := full
DEMO_VIDEO := sample_videos/typical.mp4
DEMO_OUT := demo_output

.PHONY: setup demo test lint bench models-all clean

setup: $(STAMP) models/pose_landmarker_$(DEFAULT_MODEL).task

# Re-installs only when pyproject.toml changes; pip reuses its cache.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,synth]"
	touch $@

# Built from registry weights, checksums verified; skipped when already present.
models/pose_landmarker_%.task: | $(STAMP)
	$(BIN)/lumbopelvic models install $*

models-all: $(STAMP)
	$(BIN)/lumbopelvic models install all

demo: setup
	$(BIN)/lumbopelvic rhythm $(DEMO_VIDEO) -o $(DEMO_OUT)

test: setup
	$(BIN)/ruff check lumbopelvic tests bench
	$(BIN)/python -m pytest

bench: setup models-all
	$(BIN)/python bench/speed_pose.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .ruff_cache
