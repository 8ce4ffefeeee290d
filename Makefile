# showcase: build, test and install.
#
#   make site     install missing packages, build build/showcase, build the
#                 sample site of this repository into output/
#   make test     unit tests (cmocka), Mustache spec, integration tests,
#                 browser tests (Chromium; `make browser` alone)
#   make test SANITIZE=1   the same under AddressSanitizer and UBSan
#   make bench    benchmarks (not part of the tests)
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
CC ?= cc
PKGS = libgit2 yaml-0.1 libcmark-gfm pangocairo cairo-pdf librsvg-2.0

ifeq ($(SANITIZE),1)
BUILD ?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT = -O1
else
BUILD ?= build
SANFLAGS =
OPT = -O2
endif

# The binary looks for its default theme here when it is not installed.
DATADIR = $(PREFIX)/share/showcase
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

WARN = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wno-unused-parameter
CFLAGS ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(SANFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DSHOWCASE_VERSION='"$(VERSION)"' -DSHOWCASE_DATADIR='"$(DATADIR)"' \
	-DSHOWCASE_SRCDIR='"$(CURDIR)"'
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -pthread
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

LIB_SRC = $(filter-out generator/main.c,$(sort $(wildcard generator/*.c)))
LIB_OBJ = $(LIB_SRC:generator/%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps site test unit integration bench install clean
.DEFAULT_GOAL := all

all: $(BUILD)/showcase

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: generator/%.c generator/*.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libshowcase.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/showcase: $(BUILD)/obj/main.o $(BUILD)/libshowcase.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libshowcase.a tests/unit/*.h | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Igenerator -Itests/unit -o $@ $< $(BUILD)/libshowcase.a \
		$(LDFLAGS_ALL) $(LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libshowcase.a | $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) -Igenerator -o $@ $< $(BUILD)/libshowcase.a $(LDFLAGS_ALL) $(LIBS)

$(BUILD)/obj $(BUILD)/tests $(BUILD)/bench:
	mkdir -p $@

site: deps
	$(MAKE) $(BUILD)/showcase
	$(BUILD)/showcase build

test: deps
	$(MAKE) $(BUILD)/showcase $(UNIT_BIN)
	$(MAKE) unit integration browser

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; \
		MUSTACHE_SPEC_DIR=$(CURDIR)/tests/spec/mustache $$t; done

integration: $(BUILD)/showcase
	@SHOWCASE=$(CURDIR)/$(BUILD)/showcase tests/integration/run.sh

.PHONY: browser
browser: $(BUILD)/showcase
	@SHOWCASE=$(CURDIR)/$(BUILD)/showcase tests/browser/run.sh

bench: $(BUILD)/showcase $(BENCH_BIN)
	@set -e; for b in $(BENCH_BIN); do echo "== $$b"; $$b; done

install: $(BUILD)/showcase
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/themes
	install -m 755 $(BUILD)/showcase $(DESTDIR)$(PREFIX)/bin/showcase
	cp -R themes/default $(DESTDIR)$(DATADIR)/themes/

clean:
	rm -rf build
