# SPDX-License-Identifier: Apache-2.0
# Tests of the sync protocol and the provincial server:
#   test-protocol  wire helpers (gzip, batches, acks, errors, content)
#   test-server    the real sotay-server on loopback, over HTTP
#   test-sync-output  sotay-sync's progress lines and result, as the screen reads them
#   test-harden    the server under attack: bad bytes, slow clients, a bad disk
# and a benchmark (bench-kiosks: many kiosks at once), which prints its figures.
# One kiosk's real `sotay sync` is measured by tests/bench/bench-sync.
SYNC_TEST_HELPERS := $(BUILD)/tests/sync/sync-helpers.o $(TESTLIB)
SYNC_TEST_LIBS = $(call pc_libs,cmocka libcurl zlib $(PKGS_CORE)) -lpthread
TEST_BINS += $(BUILD)/tests/sync/test-protocol $(BUILD)/tests/sync/test-server \
    $(BUILD)/tests/sync/test-sync-output $(BUILD)/tests/sync/test-harden
BENCH_BINS += $(BUILD)/tests/sync/bench-kiosks

$(BUILD)/tests/sync/test-protocol: $(BUILD)/tests/sync/test-protocol.o \
    $(SYNC_PROTO_OBJS) $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

$(BUILD)/tests/sync/test-sync-output: $(BUILD)/tests/sync/test-sync-output.o \
    $(BUILD)/sync/sync-output.o $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

$(BUILD)/tests/sync/test-server $(BUILD)/tests/sync/test-harden \
$(BUILD)/tests/sync/bench-kiosks: $(BUILD)/tests/sync/%: $(BUILD)/tests/sync/%.o \
    $(SYNC_TEST_HELPERS) $(SYNC_PROTO_OBJS) $(CORE_LIB) $(BUILD)/sotay-server
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(BUILD)/sotay-server,$^) \
	    $(SYNC_TEST_LIBS)

.SECONDARY: $(SYNC_TEST_HELPERS) $(BUILD)/tests/sync/test-protocol.o \
    $(BUILD)/tests/sync/test-sync-output.o \
    $(BUILD)/tests/sync/test-server.o $(BUILD)/tests/sync/test-harden.o \
    $(BUILD)/tests/sync/bench-kiosks.o
