# techclaims: `make demo` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out
DEMO_STORE := $(OUT)/store
CORPUS ?= ../shared/corpus
PYTEST_ARGS ?=

.PHONY: install demo test bench model model-data lint typecheck clean notebooks

install: $(STAMP)

# Reinstall only when the project's metadata changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	rm -rf $(DEMO_STORE)
	$(BIN)/kg ingest examples/digests --store $(DEMO_STORE)
	$(BIN)/kg stats --store $(DEMO_STORE)
	$(BIN)/kg export --format ttl -o $(OUT)/graph.ttl --store $(DEMO_STORE)
	$(BIN)/kg export --format trig -o $(OUT)/graph.trig --store $(DEMO_STORE)
	@if $(BIN)/kg viz --help >/dev/null 2>&1; then $(BIN)/kg viz -o $(OUT)/graph.html --store $(DEMO_STORE); fi
	@echo
	@echo "store:  $(DEMO_STORE)   (kg query 'SELECT ...' --store $(DEMO_STORE))"
	@echo "turtle: $(OUT)/graph.ttl"
	@echo "trig:   $(OUT)/graph.trig (one named graph per digest)"
	@test -f $(OUT)/graph.html && echo "page:   $(OUT)/graph.html" || true

# JupyterLab on notebooks/ (the `notebooks` extra); they read $(KG_STORE), else out/store (make demo).
notebooks: install
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	@test -d $(DEMO_STORE) || test -n "$$KG_STORE" || $(MAKE) --no-print-directory demo
	$(BIN)/jupyter lab notebooks/

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/ingest.py $(CORPUS)
	@for b in bench/repair.py bench/ner_throughput.py bench/query_latency.py bench/viz.py; do \
		if [ -f $$b ]; then echo "== $$b"; $(BIN)/python $$b || exit 1; fi; done

# Rebuild the recognizer (floret vectors, gold + silver DocBins, spacy train, assembly into
# ingest/nlp/model/); `make model GPU=1` trains on the GPU (falls back to the CPU);
# `make model RECOGNIZER=ner` builds the words-only ner instead of the one over the rules' votes.
model: install
	$(BIN)/python -m techclaims.ingest.nlp.train $(if $(GPU),--gpu) $(if $(RECOGNIZER),--recognizer $(RECOGNIZER))

# After a gazetteer pattern file changed: re-save the spellings the shipped pipeline keeps
# tokenized (a stale copy still works, but every load tokenizes the files again); no training.
model-data: install
	$(BIN)/python -m techclaims.ingest.nlp.train --refresh-data

# Score the pipeline on dev, train and test side by side (ingests the digests they come from).
eval: install
	$(BIN)/python bench/eval.py $(if $(WORKERS),--workers $(WORKERS))

lint: install
	$(BIN)/ruff check kg ingest schema techclaims tests bench
	$(BIN)/ruff format --check kg ingest schema techclaims tests bench
	$(MAKE) --no-print-directory typecheck

# mypy cannot follow setuptools' package-dir mapping (techclaims.kg -> kg/), so
# it checks the package through a tree of links laid under build/typecheck
# (pyproject.toml's mypy_path) and its report names the repository's files.
TYPECHECK := build/typecheck/techclaims
typecheck: install
	@rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)
	@ln -s $(CURDIR)/techclaims/*.py $(CURDIR)/techclaims/py.typed $(TYPECHECK)/
	@for d in kg ingest schema; do ln -s $(CURDIR)/$$d $(TYPECHECK)/$$d; done
	@bash -o pipefail -c '$(BIN)/mypy | sed -E "s#^$(TYPECHECK)/(kg|ingest|schema)/#\1/#; s#^build/typecheck/##"'

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache build *.egg-info
