# Broen: `make run` and `make test` do all set-up on a fresh machine.
# Each step runs only when its inputs changed (make compares file times).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.11 for the bot, 3.10 for Rasa 3.6. Found by running the candidates, since a
# pyenv shim can exist for a version that is installed but not active.
find_python = $(shell for p in $$(command -v python$(1)) "$$(pyenv root 2>/dev/null)"/versions/$(1).*/bin/python$(1); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != ($(subst .,$(comma),$(1))))' 2>/dev/null && { echo "$$p"; break; }; done)
comma := ,
PYTHON311 ?= $(call find_python,3.11)
PYTHON310 ?= $(call find_python,3.10)

VENV := .venv
NLU_VENV := nlu/.venv
BOT_STAMP := $(VENV)/.installed
NLU_STAMP := $(NLU_VENV)/.installed
MODEL := nlu/models/broen.tar.gz
NLU_INPUTS := nlu/config.yml nlu/broen_components.py nlu/text.py nlu/domain.yml $(wildcard nlu/data/*.yml)
# The crisis classifier (nlu/crisis_model.py), trained with Rasa's scikit-learn.
CRISIS_MODEL := nlu/models/crisis.bin
HASHED_MODEL_CODE := nlu/hashed_model.py nlu/hashed_train.py nlu/training_data.py
CRISIS_INPUTS := nlu/crisis_train.py nlu/crisis_model.py nlu/text.py $(HASHED_MODEL_CODE) \
	$(wildcard nlu/crisis/train/*.csv) $(wildcard nlu/data/*.yml)
# Broen's language identifier (nlu/language_model.py), trained the same way on every labelled message.
LANGUAGE_MODEL := nlu/models/language.bin
LANGUAGE_INPUTS := nlu/language_train.py nlu/language_model.py $(HASHED_MODEL_CODE) \
	$(wildcard nlu/crisis/train/*.csv) $(wildcard nlu/data/*.yml) $(wildcard nlu/language/*.csv)
MODELS := $(MODEL) $(CRISIS_MODEL) $(LANGUAGE_MODEL)
PO_FILES := $(wildcard locales/*/LC_MESSAGES/messages.po locales/*/LC_MESSAGES/staff.po)
MO_FILES := $(PO_FILES:.po=.mo)
BABEL_SOURCES := $(wildcard bot/*.py bot/*/*.py flows/*.py)
PYBABEL := $(VENV)/bin/pybabel
# The posters' fonts (bot/poster.py): Debian's Noto fonts for Latin, Cyrillic, Arabic and Urdu.
NOTO := /usr/share/fonts/truetype/noto
POSTER_FONTS := $(NOTO)/NotoSans-Regular.ttf $(NOTO)/NotoSans-Bold.ttf $(NOTO)/NotoSansArabic-Regular.ttf \
	$(NOTO)/NotoNastaliqUrdu-Regular.ttf
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install run test nlu-model nlu-eval nlu-tune nlu-calibrate bench-nlu bench-load bench-answers i18n i18n-compile clean

help:
	@echo "make run         set up what is missing, then run the bot (terminal chat without a Telegram token)"
	@echo "make test        set up what is missing, train the NLU model if needed, run all tests"
	@echo "make nlu-eval    evaluate understanding (FILE=path.csv, default: nlu/heldout/*.csv)"
	@echo "make nlu-tune    show accuracy per fallback threshold (FILE=dev set, default: held-out files)"
	@echo "make nlu-calibrate  crisis recall and false alarms per classifier threshold (FILE=dev set)"
	@echo "make bench-nlu   parse latency, NLU start time and memory"
	@echo "make bench-load  the evening peak: RATE new chats/s for SECONDS s through a fake Bot API"
	@echo "                 (WORKERS=2 DB=postgres: one and two webhook workers on PostgreSQL, side by side)"
	@echo "make bench-answers  how long the rule answers are, per language (max, p95)"
	@echo "make i18n        extract, update and compile the translation catalogues"

install: $(BOT_STAMP) $(NLU_STAMP) $(POSTER_FONTS)

$(POSTER_FONTS) &:
	@echo "==> Installing the posters' fonts (Debian's fonts-noto-core, 12 MB)..."
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 \
		|| { $$SUDO apt-get update -qq >/dev/null && $$SUDO apt-get install -y -qq fonts-noto-core >/dev/null; } \
		|| { echo "Could not install fonts-noto-core with apt-get; install it, then run make again"; exit 1; }
	@for font in $(POSTER_FONTS); do test -f "$$font" || { echo "fonts-noto-core has no $$font"; exit 1; }; done

$(BOT_STAMP): pyproject.toml requirements.lock
	@echo "==> Installing the bot's Python 3.11 environment in $(VENV) (about a minute)..."
	@test -n "$(PYTHON311)" || { echo "Python 3.11 not found (install it, e.g. with pyenv)"; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON311) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(NLU_STAMP): nlu/requirements.lock
	@echo "==> Installing Rasa 3.6 in $(NLU_VENV) with Python 3.10 (2.7 GB, a few minutes)..."
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found; Rasa 3.6 needs it (install it, e.g. with pyenv)"; exit 1; }
	@test -x $(NLU_VENV)/bin/python || $(PYTHON310) -m venv $(NLU_VENV)
	@$(NLU_VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip==24.0
	@$(NLU_VENV)/bin/pip install --quiet --disable-pip-version-check -r nlu/requirements.lock
	@touch $@

nlu-model: $(MODELS)

# Broen's own classifiers (nlu/hashed_model.py), trained with Rasa's scikit-learn:
# $(call train_hashed,module,log name,what it is)
define train_hashed
	@echo "==> Training the $(3) (its data changed; a minute or two)..."
	@mkdir -p nlu/logs
	@nlu/.venv/bin/python -m $(1) > nlu/logs/$(2).log 2>&1 \
		|| { tail -n 20 nlu/logs/$(2).log; echo "$(3) training failed; log: nlu/logs/$(2).log"; exit 1; }
	@tail -n 1 nlu/logs/$(2).log
endef

$(CRISIS_MODEL): $(NLU_STAMP) $(CRISIS_INPUTS)
	$(call train_hashed,nlu.crisis_train,crisis-train,crisis classifier)

$(LANGUAGE_MODEL): $(NLU_STAMP) $(LANGUAGE_INPUTS)
	$(call train_hashed,nlu.language_train,language-train,language identifier)

$(MODEL): $(NLU_STAMP) $(NLU_INPUTS)
	@echo "==> Training the NLU model (its data or config changed; about a minute)..."
	@mkdir -p nlu/logs && rm -f $@
	@cd nlu && .venv/bin/rasa train nlu --config config.yml --nlu data --domain domain.yml \
		--out models --fixed-model-name broen > logs/train.log 2>&1 \
		|| { tail -n 30 logs/train.log; echo "NLU training failed; full log: nlu/logs/train.log"; exit 1; }
	@echo "==> NLU model ready: $@"

i18n-compile: $(MO_FILES)

locales/%.mo: locales/%.po $(BOT_STAMP)
	@$(PYBABEL) compile --statistics -i $< -o $@

# Two catalogues: "messages" (what users read, eight languages) and "staff" (what
# counsellors read in the staff group; marked with S_ and SN_; Danish).
i18n: $(BOT_STAMP)
	$(PYBABEL) extract -F babel.cfg -k _ -k N_ --no-location --sort-output \
		--project=Broen --copyright-holder=Broen -o locales/messages.pot .
	$(PYBABEL) update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete
	$(PYBABEL) compile --statistics -d locales -D messages
	$(PYBABEL) extract -F babel.cfg --no-default-keywords -k S_ -k SN_ --no-location --sort-output \
		--project=Broen --copyright-holder=Broen -o locales/staff.pot .
	$(PYBABEL) update -i locales/staff.pot -d locales -D staff -l da --no-fuzzy-matching --ignore-obsolete
	$(PYBABEL) compile --statistics -d locales -D staff -l da

run: install $(MODELS) i18n-compile
	@$(VENV)/bin/python -m bot run

test: install $(MODELS) i18n-compile
	@echo "==> Checking the content (site file and catalogues)..."
	@$(VENV)/bin/python -m bot content check
	@echo "==> Running the tests (they start one real NLU server, about 20 s)..."
	@$(VENV)/bin/python -m pytest

nlu-eval: install $(MODELS)
	@$(VENV)/bin/python -m nlu.evaluate $(FILE)

nlu-tune: install $(MODELS)
	@$(VENV)/bin/python -m nlu.evaluate --tune $(FILE)

nlu-calibrate: install $(MODELS)
	@$(VENV)/bin/python -m nlu.evaluate --calibrate $(FILE)

bench-nlu: install $(MODELS) i18n-compile
	@$(VENV)/bin/python bench/nlu_speed.py

bench-load: install $(MODELS) i18n-compile
	@$(VENV)/bin/python bench/load.py --rate $(or $(RATE),5) --seconds $(or $(SECONDS),20) \
		--workers $(or $(WORKERS),1) --db $(or $(DB),sqlite)

bench-answers: install i18n-compile
	@$(VENV)/bin/python bench/answer_lengths.py

clean:
	rm -rf nlu/models nlu/.rasa nlu/logs .pytest_cache locales/*/LC_MESSAGES/*.mo
