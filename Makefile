# Two commands: `make run` sets up .venv and analyzes the bundled example; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := examples/ottawa-trade-talks.txt
export HF_HUB_OFFLINE := 1

.PHONY: run test setup lock wheel-check bench eval eval-findings train train-four train-teacher train-stance train-findings clean

setup: $(STAMP)

# requirements/dev.txt is the lock (every package pinned with its hashes) of Readouts with all
# its extras plus the dev dependency group; requirements/runtime.txt locks what users install.
$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==25.3"
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Recompiles both locks from pyproject.toml; versions already locked stay as they are
# (`UV_LOCK_ARGS=--upgrade-package NAME make lock` moves one).
UV := $(VENV)/bin/uv
LOCK_ARGS := --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock" $(UV_LOCK_ARGS)
lock: $(STAMP)
	$(BIN)/pip install --quiet "uv==0.13.9"
	$(UV) pip compile $(LOCK_ARGS) pyproject.toml --all-extras -o requirements/runtime.txt
	$(UV) pip compile $(LOCK_ARGS) pyproject.toml --all-extras --group dev -c requirements/runtime.txt -o requirements/dev.txt

# The wheel as users get it: built, installed with only its declared dependencies into a fresh
# virtualenv, then --version, analyze and a serve request (scripts/ci_wheel.sh).
wheel-check:
	bash scripts/ci_wheel.sh

run: $(STAMP)
	$(BIN)/readouts analyze $(EXAMPLE)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python scripts/bench_extract.py

# Accuracy on the shared development sets (needs ../shared).
eval: $(STAMP)
	$(BIN)/readouts eval attributions ../shared/data/polnear.dev.jsonl

eval-findings: $(STAMP)
	$(BIN)/readouts eval findings ../shared/data/findings_basil_dev.jsonl --events ../shared/data/events_basil_dev.jsonl

# Retrain the attribution tagger from ../shared/data on CPU, in three steps of 40-55 minutes each
# on 2 cores (train/README.md): `train-teacher` trains the six-layer tagger into
# build/train-tagger/teacher, `train-four` distils a four-layer tagger from it into
# build/train-tagger/four, `train` cuts that one's feed-forward blocks to half their units and
# distils the shipped tagger from it. Training needs torch (requirements-train.txt, a large
# download); the runtime does not.
TEACHER := build/train-tagger/teacher
FOUR := build/train-tagger/four

train: $(STAMP)
	@test -f $(FOUR)/adapter.npz || { echo "make train distils the shipped tagger from $(FOUR): run make train-four first"; exit 1; }
	$(BIN)/pip install --quiet -r requirements-train.txt
	$(BIN)/python train/train.py --layers 4 --rank 96 --ffn 768 --epochs 6 --teacher $(FOUR) --distill 0.7

train-four: $(STAMP)
	@test -f $(TEACHER)/adapter.npz || { echo "make train-four distils from $(TEACHER): run make train-teacher first"; exit 1; }
	$(BIN)/pip install --quiet -r requirements-train.txt
	$(BIN)/python train/train.py --layers 4 --rank 96 --epochs 6 --teacher $(TEACHER) --distill 0.7 --out $(FOUR)

train-teacher: $(STAMP)
	$(BIN)/pip install --quiet -r requirements-train.txt
	$(BIN)/python train/train.py --out $(TEACHER)

train-stance: $(STAMP)
	$(BIN)/python train/stance/train.py

# The findings pair model and card judge (~8 min on 2 cores: embeds the sentence-pair sets, analyzes the BASIL
# events, cross-validates by event, exports int8 ONNX); needs scikit-learn, not torch.
train-findings: $(STAMP)
	$(BIN)/python train/findings/train.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
