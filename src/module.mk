# SPDX-License-Identifier: Apache-2.0
# The core library. Two archives:
#   libsotay-model.a  the pure part — the checklist model (content.c), the
#                     event vocabulary, text and its normal form (NFC), secrets
#                     and utilities; no SQLite. The server and the fuzzers link
#                     only this.
#   libsotay.a        all of src/: the model plus the kiosk's database (store,
#                     content-store, journey, people, report, sync-state…).
MODEL_SRCS := src/content.c src/event.c src/fold.c src/i18n.c src/nfc.c src/secret.c \
    src/util.c
MODEL_OBJS := $(MODEL_SRCS:%.c=$(BUILD)/%.o)
MODEL_LIB  := $(BUILD)/libsotay-model.a
MODEL_LIBS  = $(call pc_libs,$(PKGS_MODEL))
CORE_SRCS := $(wildcard src/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CORE_LIB  := $(BUILD)/libsotay.a
CORE_LIBS   = $(call pc_libs,$(PKGS_CORE))

# The core includes nothing outside src/.
$(BUILD)/src/%.o: override CPPFLAGS += -Isrc

# Made again when this file changes what goes in (its objects may be older).
$(MODEL_LIB): $(MODEL_OBJS) src/module.mk
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $(MODEL_OBJS)

$(CORE_LIB): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
