# showcase: build, test and install.
#
#   make site     install missing packages, build build/showcase, build the
#                 sample site of this repository into output/
#   make test     unit tests (cmocka), Mustache spec, integration tests,
#                 browser tests (Chromium; `make browser` alone), the Nu
#                 HTML Checker on the built pages (`make html-check` alone)
#   make test SANITIZE=1   the same under AddressSanitizer and UBSan
#   make ... WERROR=1      warnings are errors (as in CI, .ci/run)
#   make bench    one table: fresh, no-op and one-changed-record builds of
#                 1k, 10k and 50k records, booklets on and off, beside Hugo
#                 when it is installed (bench/bench.sh; BENCH_SIZES=1000,10000
#                 BENCH_OUT=/dev/shm to keep it short; not part of the tests)
#   make bench-micro   the micro-benchmarks bench/*.c
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
CC ?= cc
PKGS = libgit2 yaml-0.1 libcmark-gfm pangocairo cairo-pdf librsvg-2.0 libwebp libwebpdemux \
	libmicrohttpd libqpdf icu-uc icu-i18n vips

# Integration tests that bound the time of hostile inputs allow this many
# times their bound (sanitizers slow everything down several times).
TIME_FACTOR = 1
ifeq ($(SANITIZE),1)
TIME_FACTOR = 5
# Leaks of libraries we do not control (tests/lsan.supp says which, and why).
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
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
# CI builds with WERROR=1: a warning fails the build.
ifeq ($(WERROR),1)
WARN += -Werror
endif
CFLAGS ?= $(OPT) -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(SANFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DSHOWCASE_VERSION='"$(VERSION)"' -DSHOWCASE_DATADIR='"$(DATADIR)"' \
	-DSHOWCASE_SRCDIR='"$(CURDIR)"'
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -pthread
# The build ID names this build of the code in every output's key
# (manifest.c): the linker hashes the linked file once, no run rereads it.
LDFLAGS_ALL = $(SANFLAGS) -Wl,--build-id=sha1 $(LDFLAGS)

LIB_SRC = $(filter-out generator/main.c,$(sort $(wildcard generator/*.c)))
LIB_OBJ = $(LIB_SRC:generator/%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps site test unit integration bench bench-micro install clean
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
	$(MAKE) $(BUILD)/showcase $(UNIT_BIN) $(BENCH_BIN)
	$(MAKE) unit fuzz-replay integration browser html-check

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; \
		MUSTACHE_SPEC_DIR=$(CURDIR)/tests/spec/mustache $$t; done

integration: $(BUILD)/showcase
	@SHOWCASE=$(CURDIR)/$(BUILD)/showcase SHOWCASE_TIME_FACTOR=$(TIME_FACTOR) \
		tests/integration/run.sh

.PHONY: browser
browser: $(BUILD)/showcase
	@SHOWCASE=$(CURDIR)/$(BUILD)/showcase tests/browser/run.sh

# The Nu HTML Checker (npm vnu-jar, Java) on every page of the sample site
# and the booklets' print HTML of a generated corpus: no error allowed.
.PHONY: html-check
html-check: $(BUILD)/showcase
	@SHOWCASE=$(CURDIR)/$(BUILD)/showcase tests/html/run.sh

bench: $(BUILD)/showcase
	@SHOWCASE=$(CURDIR)/$(BUILD)/showcase bench/bench.sh

bench-micro: $(BENCH_BIN)
	@set -e; for b in $(BENCH_BIN); do echo "== $$b"; $$b; done

install: $(BUILD)/showcase
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/themes
	install -m 755 $(BUILD)/showcase $(DESTDIR)$(PREFIX)/bin/showcase
	cp -R themes/default $(DESTDIR)$(DATADIR)/themes/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 docs/showcase.1 $(DESTDIR)$(PREFIX)/share/man/man1/showcase.1
	install -m 644 completion/showcase.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/showcase

clean:
	rm -rf build

# ---- fuzzing (fuzz/; see fuzz/fuzz.h) ----
#
#   make fuzz          libFuzzer binaries in build/fuzz/ (clang, ASan+UBSan)
#   make fuzz-run FUZZ_TARGET=markdown FUZZ_TIME=240
#                      fuzz one target, adding what it finds to a scratch
#                      folder (to merge into the corpus: fuzz/README.md)
#   make fuzz-replay   replay every corpus with the normal compiler (ASan
#                      with SANITIZE=1); part of `make test`
FUZZ_TARGETS = frontmatter template markdown site directive media
FUZZ_BUILD = build/fuzz
FUZZ_CC = clang
FUZZ_TIME ?= 240
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
# Lower limits than the real ones (tmpl.h, schema_internal.h): inputs that
# hit them then cost the fuzzer a tenth of the time, through the same code.
FUZZ_LIMITS = -DTMPL_MAX_RENDER_STEPS=100000 \
	-DTMPL_MAX_RENDER_TEXT='((size_t)1 << 20)' -DSCHEMA_MAX_DEFINITIONS=10000
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) -O1 -g $(FUZZ_SAN) \
	$(FUZZ_LIMITS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DSHOWCASE_VERSION='"$(VERSION)"' -DSHOWCASE_DATADIR='"$(DATADIR)"' \
	-DSHOWCASE_SRCDIR='"$(CURDIR)"'
FUZZ_OBJ = $(LIB_SRC:generator/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
REPLAY_BIN = $(FUZZ_TARGETS:%=$(BUILD)/replay/fuzz_%)
FUZZ_SCHEMA_INC = $(FUZZ_BUILD)/gen/fuzz_theme_schema.inc \
	$(BUILD)/replay/gen/fuzz_theme_schema.inc

.PHONY: fuzz fuzz-run fuzz-replay
# libFuzzer itself is in libclang-rt-dev, which clang only recommends.
fuzz:
	@scripts/install-deps.sh clang libclang-rt-dev
	$(MAKE) $(FUZZ_BIN)

fuzz-run: fuzz
	mkdir -p $(FUZZ_BUILD)/found/$(FUZZ_TARGET)
	$(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_TIME) \
		-max_len=16384 -timeout=5 -artifact_prefix=$(FUZZ_BUILD)/ \
		$(FUZZ_BUILD)/found/$(FUZZ_TARGET) fuzz/corpus/$(FUZZ_TARGET)

fuzz-replay: $(REPLAY_BIN)
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(BUILD)/replay/fuzz_$$t fuzz/corpus/$$t; done

# The theme's schema, embedded as bytes so fuzzers run from any folder.
$(FUZZ_SCHEMA_INC): themes/default/schema.yaml
	@mkdir -p $(@D)
	{ echo 'static const unsigned char fuzz_theme_schema_yaml[] = {'; \
	  od -An -v -tx1 $< | sed 's/[0-9a-f][0-9a-f]/0x&,/g'; echo '};'; } > $@.tmp
	mv $@.tmp $@

$(FUZZ_OBJ): $(FUZZ_BUILD)/obj/%.o: generator/%.c generator/*.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libshowcase.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BIN): $(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/*.h \
		$(FUZZ_BUILD)/libshowcase.a $(FUZZ_BUILD)/gen/fuzz_theme_schema.inc
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Igenerator \
		-I$(FUZZ_BUILD)/gen -o $@ $< $(FUZZ_BUILD)/libshowcase.a $(LIBS)

$(REPLAY_BIN): $(BUILD)/replay/fuzz_%: fuzz/fuzz_%.c fuzz/driver.c fuzz/*.h \
		$(BUILD)/libshowcase.a $(BUILD)/replay/gen/fuzz_theme_schema.inc
	$(CC) $(ALL_CFLAGS) -Igenerator -I$(BUILD)/replay/gen -o $@ $< \
		fuzz/driver.c $(BUILD)/libshowcase.a $(LDFLAGS_ALL) $(LIBS)
