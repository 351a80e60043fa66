# metalio: the two commands of the README, and the ones each chapter uses.
#
#   make serve            install what is missing, render the site, serve it on 127.0.0.1:$(PORT)
#   make test             everything that must pass (both selectors, sanitizers, exercises, the site)
#   make run CH=NN        build and run stage NN's example (ARGS="..." passes arguments, EXAMPLE=name picks one, SELECTOR=poll for poll(2), OS=windows under Wine)
#   make exercise EX=NN   test your copy of exercise NN (made from the stub on first use)
#   make hint EX=NN       the first hint (LEVEL=2, LEVEL=3 for more; in Chinese with a Chinese locale or HINT_LANG=zh)
#   make progress         every exercise, done or not
#   make docs             Doxygen + Sphinx (-W -n) into build/site (Chinese: build/site/zh_CN)
#   make translations     bring the Chinese catalogs (locales/zh_CN) up to date with the English text
#   make fuzz             libFuzzer with clang-19 on both selectors (FUZZ_SECONDS=60, SELECTOR=epoll|poll|both)
#   make check STAGE=NN   build and test one stage only, in seconds (SELECTOR=epoll|poll|both)
#   make bench            metalio against raw epoll, mio, tokio, libuv, libevent, Asio (~20 min; the Performance page)
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
JOBS ?= 2
LEVEL ?= 1
FUZZ_SECONDS ?= 60
SELECTOR ?= both
TOOLS := tests/tools

# Debian package names; tests/tools/deps.sh installs the missing ones.
PACKAGES := g++ cmake make ninja-build doctest-dev doxygen graphviz python3-sphinx python3-breathe furo \
            python3-sphinx-copybutton python3-sphinx-inline-tabs python3-jieba gettext node-normalize.css valgrind \
            manpages-dev man-db netcat-openbsd strace g++-mingw-w64-x86-64-posix mingw-w64-tools wine wine64

.PHONY: help deps build test docs serve run exercise hint progress clean fuzz check bench translations

# A bad value gets one line saying what is wrong and what to type, before
# anything is built.
ifneq ($(shell [[ "$(JOBS)" =~ ^[1-9][0-9]*$$ ]] && echo ok),ok)
$(error JOBS must be a positive number, not '$(JOBS)': type e.g. make $(or $(MAKECMDGOALS),help) JOBS=2)
endif

# The tools end every failure of theirs with a sentence that says what went
# wrong and what to type: status 2 for a bad argument, 1 for the rest (a
# build, a test, an exercise not done yet). make would add "make: ***
# [Makefile:NN: run] Error 2" under it, which says nothing more, and nothing
# in make turns that off (.SILENT, -s and "|| exit" do not; a "-" prefix
# would also turn the status into 0). So after such a failure the recipe
# ends make itself with SIGPIPE, which neither make nor bash reports: the
# tool's sentence stays the last line, and the status is still a failure
# (141). Any other status (a crash, Ctrl-C) is reported by make as usual.
QUIET_FAILURE = || { status=$$?; if [[ $$status == [12] ]]; then kill -PIPE $$PPID; fi; exit $$status; }

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOOLS)/deps.sh $(PACKAGES)

build: deps
	@$(TOOLS)/build.sh epoll

test: deps
	@$(TOOLS)/test.sh

docs: deps
	@$(TOOLS)/docs.sh

# After a change of English text: the catalogs follow it (fuzzy where a
# paragraph changed), and the list of what to translate next.
translations: deps
	@python3 $(TOOLS)/i18n.py update

# The site needs no compiled program: Doxygen and Sphinx read the sources.
serve: deps
	@$(TOOLS)/serve.sh "$(PORT)" --check-only $(QUIET_FAILURE)
	@I18N_CHECK=warn $(TOOLS)/docs.sh
	@$(TOOLS)/serve.sh "$(PORT)" $(QUIET_FAILURE)

run: deps
	@SELECTOR=$(SELECTOR) OS=$(OS) EXAMPLE=$(EXAMPLE) $(TOOLS)/run.sh "$(CH)" $(ARGS) $(QUIET_FAILURE)

exercise: deps
	@$(TOOLS)/exercise.sh "$(EX)" $(QUIET_FAILURE)

hint:
	@$(TOOLS)/hint.sh "$(EX)" "$(LEVEL)" $(QUIET_FAILURE)

progress: deps
	@$(TOOLS)/progress.sh

check: deps
	@$(TOOLS)/check.sh "$(STAGE)" "$(SELECTOR)" $(QUIET_FAILURE)

fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) SELECTOR=$(SELECTOR) JOBS=$(JOBS) $(TOOLS)/fuzz.sh $(QUIET_FAILURE)

bench: deps
	@JOBS=$(JOBS) bench/run.sh full

clean:
	rm -rf build
