# SPDX-License-Identifier: Apache-2.0
# Tests of the sync client: tests/client/test-client-NAME.c → $(BUILD)/tests/test-client-NAME.
# Each links the fault-injecting peer (libmicrohttpd, in process) and the
# shared helpers; the ones that need the real sotay-server or sotay find
# them in $(BUILD), which `make test` builds first.
CLIENT_TEST_SRCS := $(wildcard tests/client/test-client-*.c)
CLIENT_TEST_BINS := $(CLIENT_TEST_SRCS:tests/client/%.c=$(BUILD)/tests/%)
CLIENT_TEST_OBJS := $(BUILD)/tests/client/fault-peer.o $(BUILD)/tests/client/client-helpers.o \
    $(TEST_DB_OBJ) $(TESTLIB)
TEST_BINS += $(CLIENT_TEST_BINS)

$(BUILD)/tests/test-client-%: $(BUILD)/tests/client/test-client-%.o $(CLIENT_TEST_OBJS) \
    $(SYNC_CLIENT_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,cmocka libmicrohttpd libpq $(PKGS_CLIENT) $(PKGS_CORE)) -lpthread

# Kept between builds (make would otherwise delete them as intermediates).
.SECONDARY: $(CLIENT_TEST_OBJS) $(CLIENT_TEST_SRCS:%.c=$(BUILD)/%.o)
