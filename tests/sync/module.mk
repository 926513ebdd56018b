# SPDX-License-Identifier: Apache-2.0
# Tests of the sync protocol and the provincial server:
#   test-protocol  wire helpers (gzip, batches, acks, errors, content)
#   test-server    the real sotay-server on loopback, over HTTP
#   test-sync-output  sotay-sync's progress lines and result, as the screen reads them
#   test-harden    the server under attack: bad bytes, slow clients, a bad disk
# and benchmarks (bench-upload, bench-kiosks, bench-rss), which print their figures.
SYNC_TEST_HELPERS := $(BUILD)/tests/sync/sync-helpers.o $(TESTLIB)
SYNC_TEST_LIBS = $(call pc_libs,cmocka libcurl zlib $(PKGS_CORE)) -lpthread
TEST_BINS += $(BUILD)/tests/sync/test-protocol $(BUILD)/tests/sync/test-server \
    $(BUILD)/tests/sync/test-sync-output $(BUILD)/tests/sync/test-harden
BENCH_BINS += $(BUILD)/tests/sync/bench-upload $(BUILD)/tests/sync/bench-kiosks \
    $(BUILD)/tests/sync/bench-rss

$(BUILD)/tests/sync/test-protocol: $(BUILD)/tests/sync/test-protocol.o \
    $(SYNC_PROTO_OBJS) $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

$(BUILD)/tests/sync/test-sync-output: $(BUILD)/tests/sync/test-sync-output.o \
    $(BUILD)/sync/sync-output.o $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

$(BUILD)/tests/sync/test-server $(BUILD)/tests/sync/test-harden \
$(BUILD)/tests/sync/bench-upload $(BUILD)/tests/sync/bench-kiosks \
$(BUILD)/tests/sync/bench-rss: $(BUILD)/tests/sync/%: $(BUILD)/tests/sync/%.o \
    $(SYNC_TEST_HELPERS) $(SYNC_PROTO_OBJS) $(CORE_LIB) $(BUILD)/sotay-server
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(BUILD)/sotay-server,$^) \
	    $(SYNC_TEST_LIBS)

.SECONDARY: $(SYNC_TEST_HELPERS) $(BUILD)/tests/sync/test-protocol.o \
    $(BUILD)/tests/sync/test-sync-output.o \
    $(BUILD)/tests/sync/test-server.o $(BUILD)/tests/sync/test-harden.o \
    $(BUILD)/tests/sync/bench-upload.o \
    $(BUILD)/tests/sync/bench-kiosks.o $(BUILD)/tests/sync/bench-rss.o
