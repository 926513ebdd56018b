# SPDX-License-Identifier: Apache-2.0
# The `sotay` program: command line (main.c, cmd-*.c) and the terminal UI
# (tui.c, screen-*.c, draw-*.c). It links the core only: enroll and sync run
# the sotay-sync program (spawn-sync.c), so no libcurl is loaded at start.
UI_SRCS := $(wildcard ui/*.c)
UI_OBJS := $(UI_SRCS:%.c=$(BUILD)/%.o)
ALL_BINS += $(BUILD)/sotay

# The UI sees the core and, of sync/, only what it links (sync-output.h); that it
# never calls the client is proven at link time (no libcurl).
$(BUILD)/ui/%.o: override CPPFLAGS += -Iui -Isync -Isrc -I$(BUILD)/gen

# sync-output.o: the sotay-sync child's output format, read from its pipe.
$(BUILD)/sotay: $(UI_OBJS) $(BUILD)/sync/sync-output.o $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,$(PKGS_UI) $(PKGS_CORE))
