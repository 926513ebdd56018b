# SPDX-License-Identifier: Apache-2.0
# Tests of the sync protocol and the provincial server:
#   test-protocol  wire helpers (gzip, batches, acks, errors, content)
#   test-server    the real sotay-server on loopback, over HTTP
#   test-sync-output  sotay-sync's progress lines and result, as the screen reads them
#   test-harden    the server under attack: bad bytes, slow clients, a bad disk,
#                  a database out of reach
#   test-server-cli.sh  the command line as an operator types it
# and benchmarks (bench-kiosks, bench-rss, bench-grow), which print their figures.
# One kiosk's real `sotay sync` is measured by tests/bench/bench-sync.
SYNC_TEST_HELPERS := $(BUILD)/tests/sync/sync-helpers.o $(TESTLIB) $(TEST_DB_OBJ)
SYNC_TEST_LIBS = $(call pc_libs,cmocka libcurl zlib libpq $(PKGS_CORE)) -lpthread
TEST_BINS += $(BUILD)/tests/sync/test-protocol $(BUILD)/tests/sync/test-server \
    $(BUILD)/tests/sync/test-sync-output $(BUILD)/tests/sync/test-harden \
    $(BUILD)/tests/sync/test-servers
# sotay-server's command line as an operator types it (serve's options, accounts).
TEST_SCRIPTS += tests/sync/test-server-cli.sh
# The server and sync tests again on PostgreSQL, in a throw-away cluster.
TEST_SCRIPTS += tests/sync/test-pg.sh
BENCH_BINS += $(BUILD)/tests/sync/bench-rss
# SQLite and PostgreSQL side by side (runs bench-kiosks and bench-grow).
BENCH_SCRIPTS += tests/sync/bench-stores.sh
BENCH_HELPERS := $(BUILD)/tests/sync/bench-kiosks $(BUILD)/tests/sync/bench-grow
build-bench: $(BENCH_HELPERS)

# bench-grow drives the server's ingest path in-process: no main, no HTTP.
$(BUILD)/tests/sync/bench-grow: $(BUILD)/tests/sync/bench-grow.o $(BUILD)/tests/bench/bench.o \
    $(BUILD)/sync/server/server-ingest.o $(BUILD)/sync/server/server-store.o \
    $(BUILD)/sync/server/server-store-sqlite.o $(BUILD)/sync/server/server-store-pg.o \
    $(SYNC_PROTO_OBJS) $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,libpq zlib $(PKGS_CORE)) -lpthread

$(BUILD)/tests/sync/test-protocol: $(BUILD)/tests/sync/test-protocol.o \
    $(SYNC_PROTO_OBJS) $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

$(BUILD)/tests/sync/test-sync-output: $(BUILD)/tests/sync/test-sync-output.o $(CORE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

# test-servers also opens the database in-process (reports from the
# rollups against the same reports from the facts).
$(BUILD)/tests/sync/test-servers: $(BUILD)/tests/sync/test-servers.o \
    $(SYNC_TEST_HELPERS) $(BUILD)/sync/server/server-ingest.o \
    $(BUILD)/sync/server/server-report.o \
    $(BUILD)/sync/server/server-store.o $(BUILD)/sync/server/server-store-sqlite.o \
    $(BUILD)/sync/server/server-store-pg.o $(SYNC_PROTO_OBJS) $(CORE_LIB) \
    $(BUILD)/sotay-server
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(BUILD)/sotay-server,$^) \
	    $(SYNC_TEST_LIBS)

# bench-kiosks writes its figures into the bench table.
$(BUILD)/tests/sync/bench-kiosks: $(BUILD)/tests/bench/bench.o

$(BUILD)/tests/sync/test-server $(BUILD)/tests/sync/test-harden \
$(BUILD)/tests/sync/bench-kiosks \
$(BUILD)/tests/sync/bench-rss: $(BUILD)/tests/sync/%: $(BUILD)/tests/sync/%.o \
    $(SYNC_TEST_HELPERS) $(SYNC_PROTO_OBJS) $(CORE_LIB) $(BUILD)/sotay-server
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(BUILD)/sotay-server,$^) \
	    $(SYNC_TEST_LIBS)

.SECONDARY: $(SYNC_TEST_HELPERS) $(BUILD)/tests/sync/test-protocol.o \
    $(BUILD)/tests/sync/test-sync-output.o \
    $(BUILD)/tests/sync/test-server.o $(BUILD)/tests/sync/test-harden.o \
    $(BUILD)/tests/sync/test-servers.o \
    $(BUILD)/tests/sync/bench-grow.o \
    $(BUILD)/tests/sync/bench-kiosks.o $(BUILD)/tests/sync/bench-rss.o
