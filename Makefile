# metalio: the two commands of the README, and the ones each chapter uses.
#
#   make serve            install what is missing, build, render the site, serve it on 127.0.0.1:$(PORT)
#   make test             everything that must pass (both selectors, sanitizers, exercises, the site)
#   make run CH=NN        build and run stage NN's example (ARGS="..." passes arguments; OS=windows: under Wine)
#   make exercise EX=NN   test your copy of exercise NN (made from the stub on first use)
#   make hint EX=NN       the first hint (LEVEL=2, LEVEL=3 for more)
#   make progress         every exercise, done or not
#   make docs             Doxygen + Sphinx (-W -n) into build/site
#   make fuzz             libFuzzer with clang-19 on both selectors (FUZZ_SECONDS=60, SELECTOR=epoll|poll|both)
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
JOBS ?= 2
LEVEL ?= 1
FUZZ_SECONDS ?= 60
SELECTOR ?= both
TOOLS := tests/tools

# Debian package names; tests/tools/deps.sh installs the missing ones.
PACKAGES := g++ cmake make doctest-dev doxygen graphviz python3-sphinx python3-breathe furo \
            python3-sphinx-copybutton python3-sphinx-inline-tabs valgrind \
            g++-mingw-w64-x86-64-posix mingw-w64-tools wine wine64

.PHONY: help deps build test docs serve run exercise hint progress clean fuzz

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOOLS)/deps.sh $(PACKAGES)

build: deps
	@$(TOOLS)/build.sh epoll

test: deps
	@$(TOOLS)/test.sh

docs: deps
	@$(TOOLS)/docs.sh

serve: deps
	@$(TOOLS)/build.sh epoll
	@$(TOOLS)/docs.sh
	@echo "Serving the site on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	@python3 -m http.server $(PORT) --bind 127.0.0.1 --directory build/site

run: deps
	@OS=$(OS) $(TOOLS)/run.sh "$(CH)" $(ARGS)

exercise: deps
	@$(TOOLS)/exercise.sh "$(EX)"

hint:
	@$(TOOLS)/hint.sh "$(EX)" "$(LEVEL)"

progress: deps
	@$(TOOLS)/progress.sh

fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) SELECTOR=$(SELECTOR) JOBS=$(JOBS) $(TOOLS)/fuzz.sh

clean:
	rm -rf build
