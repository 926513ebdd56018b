# SPDX-License-Identifier: Apache-2.0
# Sổ tay số — build. `make run` starts the kiosk, `make test` runs every test;
# both install missing libraries first (see packaging/deps.sh).
#
# Each part has its own make fragment: src/module.mk (the core library),
# sync/module.mk (protocol, client, server), ui/module.mk (the `sotay`
# program), tests/module.mk (tests and benchmarks). Objects go to $(BUILD).

BUILD	?= build
PREFIX	?= /usr/local
DATADIR	?= $(PREFIX)/share
LIBEXECDIR ?= $(PREFIX)/libexec
DESTDIR	?=
CC	?= cc
PKG_CONFIG ?= pkg-config

# CFLAGS from the command line (make CFLAGS=-O0) or the environment replace
# the optimisation; the flags below are always added ("override").
CFLAGS	?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
# Include paths are per module (each module.mk: src/ sees only src/), so the
# build itself refuses an include against the arrows (README: "which part uses which").
override CPPFLAGS += -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
CPPDEPS	 = -MMD -MP
LDFLAGS	?=
SOTAY_VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

# What the programs embed (their version, where their files are installed)
# is in a header written only when it changes, so the objects that include
# it are rebuilt when PREFIX changes (make install PREFIX=/usr after make),
# and nothing is rebuilt when it does not.
BUILD_INFO := $(BUILD)/gen/build-info.h
H := \#
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(shell mkdir -p $(BUILD)/gen && printf '%s\n' '/* Written by make: what the programs embed. */' \
    '$(H)define SOTAY_VERSION "$(SOTAY_VERSION)"' \
    '$(H)define SOTAY_DATADIR "$(DATADIR)/sotay"' \
    '$(H)define SOTAY_LIBEXECDIR "$(LIBEXECDIR)/sotay"' \
    '$(H)define SOTAY_LOCALEDIR "$(DATADIR)/locale"' \
    '$(H)define SOTAY_SERVER_LOCALEDIR "$(DATADIR)/sotay-server/locale"' > $(BUILD_INFO).new && \
    { cmp -s $(BUILD_INFO).new $(BUILD_INFO) && rm -f $(BUILD_INFO).new || \
    mv -f $(BUILD_INFO).new $(BUILD_INFO); })
endif

ifeq ($(CI),true)
WERROR	?= 1
endif
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifeq ($(FUZZ),1)
override CFLAGS += -fsanitize=fuzzer-no-link
endif
ifeq ($(SAN),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
endif

# Libraries, each through pkg-config (evaluated lazily, after `deps`).
pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
# libunistring (NFC, src/nfc.c) has no pkg-config file in Debian 12: whatever
# links the model (its list holds $(PKGS_MODEL), as the core's does) gets it
# by name.
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1)) $(if $(findstring $(PKGS_MODEL),$(1)),-lunistring)
PKGS_MODEL  = json-c libsodium
PKGS_CORE   = sqlite3 $(PKGS_MODEL)
PKGS_CLIENT = libcurl zlib
PKGS_SERVER = libmicrohttpd zlib libpq
PKGS_UI     = ncursesw libqrencode
PKGS_TEST   = cmocka vterm zbar
# Compile flags of every library, asked once (empty until `deps` has run).
PC_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PKGS_CORE) $(PKGS_CLIENT) $(PKGS_SERVER) $(PKGS_UI) $(PKGS_TEST) 2>/dev/null)

.PHONY: all run test test-run bench bench-run sanitize fuzz fuzz-check deps install uninstall clean check-deps
.DEFAULT_GOAL := all

all: $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory build-all

# Installs what is missing (as root) or says the exact command to run;
# `make deps DEPS_FOR=deb` adds the tools `make deb` needs.
deps:
	@sh packaging/deps.sh $(DEPS_FOR)

$(BUILD)/.deps-ok: packaging/deps.sh
	@sh packaging/deps.sh
	@mkdir -p $(BUILD) && touch $@

DB	?=
run: all
	$(BUILD)/sotay $(if $(DB),--db $(DB))

test: $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory build-all build-tests
	@$(MAKE) --no-print-directory test-run

sanitize: $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 build-all build-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory BUILD=build-san SAN=1 test-run

bench: $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory build-all build-bench
	@$(MAKE) --no-print-directory bench-run

# Fuzzing (clang's libFuzzer, with ASan and UBSan): `make fuzz` runs each
# harness for FUZZ_SECONDS; `make fuzz-check` replays the seeds once.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = BUILD=build-fuzz CC=clang SAN=1 FUZZ=1
fuzz: $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory $(FUZZ_FLAGS) build-fuzz
	@$(MAKE) --no-print-directory $(FUZZ_FLAGS) FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz-run

fuzz-check: $(BUILD)/.deps-ok
	@$(MAKE) --no-print-directory $(FUZZ_FLAGS) build-fuzz
	@$(MAKE) --no-print-directory $(FUZZ_FLAGS) fuzz-check-run

include src/module.mk
-include sync/module.mk
-include ui/module.mk
-include tests/module.mk
-include tests/fuzz/module.mk
-include packaging/module.mk
-include po/module.mk

build-all: $(ALL_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PC_CFLAGS) $(CPPDEPS) -c $< -o $@

# Double-colon: packaging/module.mk adds its own install steps (man pages, units).
# One libexec folder, $(LIBEXECDIR)/sotay, for every program only sotay runs.
install:: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/sotay/checklists \
	    $(DESTDIR)$(LIBEXECDIR)/sotay
	install -m 0755 $(BUILD)/sotay $(DESTDIR)$(PREFIX)/bin/sotay
	install -m 0755 $(BUILD)/sotay-sync $(DESTDIR)$(LIBEXECDIR)/sotay/sotay-sync
	install -m 0755 $(BUILD)/sotay-server $(DESTDIR)$(PREFIX)/bin/sotay-server
	install -m 0644 assets/checklists/*.json $(DESTDIR)$(DATADIR)/sotay/checklists/

uninstall::
	rm -f $(DESTDIR)$(PREFIX)/bin/sotay $(DESTDIR)$(PREFIX)/bin/sotay-server
	rm -f $(DESTDIR)$(LIBEXECDIR)/sotay/sotay-sync
	rmdir $(DESTDIR)$(LIBEXECDIR)/sotay 2>/dev/null || true
	rm -rf $(DESTDIR)$(DATADIR)/sotay

clean:
	rm -rf build build-san build-deb build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
