# SPDX-License-Identifier: Apache-2.0
# Sync: the wire protocol shared by both ends (protocol*.c), the kiosk's
# client (client*.c, libcurl), the `sotay-sync` program that runs it
# (sotay-sync.c, cmd-sync.c; `sotay enroll` and `sotay sync` run it, so the
# UI never links libcurl) and the provincial server (server/, libmicrohttpd).
SYNC_PROTO_SRCS  := $(wildcard sync/protocol*.c)
SYNC_CLIENT_SRCS := $(wildcard sync/client*.c)
SYNC_TOOL_SRCS   := sync/sotay-sync.c sync/cmd-sync.c
SYNC_SERVER_SRCS := $(wildcard sync/server/*.c)
SYNC_PROTO_OBJS  := $(SYNC_PROTO_SRCS:%.c=$(BUILD)/%.o)
SYNC_CLIENT_OBJS := $(SYNC_CLIENT_SRCS:%.c=$(BUILD)/%.o)
SYNC_TOOL_OBJS   := $(SYNC_TOOL_SRCS:%.c=$(BUILD)/%.o)
SYNC_SERVER_OBJS := $(SYNC_SERVER_SRCS:%.c=$(BUILD)/%.o)
SYNC_CLIENT_LIB  := $(BUILD)/libsotay-sync.a
ALL_BINS += $(BUILD)/sotay-sync $(BUILD)/sotay-server

# Sync sees the core and itself, never the UI.
$(BUILD)/sync/%.o: override CPPFLAGS += -Isync -Isrc -I$(BUILD)/gen

$(SYNC_CLIENT_LIB): $(SYNC_CLIENT_OBJS) $(SYNC_PROTO_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/sotay-sync: $(SYNC_TOOL_OBJS) $(SYNC_CLIENT_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,$(PKGS_CLIENT) $(PKGS_CORE))

# The server links the pure model only: its database is its own (server-store*.c).
$(BUILD)/sotay-server: $(SYNC_SERVER_OBJS) $(SYNC_PROTO_OBJS) $(MODEL_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,$(PKGS_SERVER) $(PKGS_MODEL) sqlite3) -lpthread
