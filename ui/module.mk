# SPDX-License-Identifier: Apache-2.0
# The `sotay` program: command line (main.c, cmd-*.c) and the terminal UI
# (tui.c, screen-*.c, draw-*.c). It links the core only: enroll and sync run
# the sotay-sync program (spawn-sync.c), so no libcurl is loaded at start.
UI_SRCS := $(wildcard ui/*.c)
UI_OBJS := $(UI_SRCS:%.c=$(BUILD)/%.o)
ALL_BINS += $(BUILD)/sotay

# The UI sees the core only: it runs sotay-sync and reads its pipe through
# src/sync-output.h, and cannot include a sync/ header.
$(BUILD)/ui/%.o: override CPPFLAGS += -Iui -Isrc -I$(BUILD)/gen

$(BUILD)/sotay: $(UI_OBJS) $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,$(PKGS_UI) $(PKGS_CORE))
