# SPDX-License-Identifier: Apache-2.0
# Benchmarks (`make bench`): figures printed beside their floor or peer and
# their goal, nothing asserted. bench-gen builds the realistic kiosk
# databases once (rebuilt when it or the checklists change); bench-floor is
# the floor, a program of its own; the others measure the real programs.
BENCH_DATA   := $(BUILD)/bench-data
BENCH_COMMON := $(BUILD)/tests/bench/bench.o
BENCH_BINS   += $(BUILD)/tests/bench-kiosk $(BUILD)/tests/bench-sync
BENCH_SCRIPTS += tests/bench/bench-sync-pg.sh
BENCH_DBS    := $(BENCH_DATA)/kiosk-100k.db $(BENCH_DATA)/kiosk-1m.db
BENCH_TOOLS  := $(BUILD)/tests/bench-gen $(BUILD)/tests/bench-floor

$(BUILD)/tests/bench-gen: $(BUILD)/tests/bench/bench-gen.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CORE))

$(BUILD)/tests/bench-floor: $(BUILD)/tests/bench/bench-floor.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,sqlite3 libpq)

$(BUILD)/tests/bench-kiosk: $(BUILD)/tests/bench/bench-kiosk.o $(BENCH_COMMON) $(CORE_LIB) \
    | $(BUILD)/sotay $(BENCH_TOOLS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CORE))

$(BUILD)/tests/bench-sync: $(BUILD)/tests/bench/bench-sync.o $(BENCH_COMMON) \
    $(SYNC_TEST_HELPERS) $(SYNC_PROTO_OBJS) $(CORE_LIB) \
    | $(BUILD)/sotay $(BUILD)/sotay-sync $(BUILD)/sotay-server $(BENCH_TOOLS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SYNC_TEST_LIBS)

# 100,000 events, none sent yet (a kiosk back online after months): for sync.
$(BENCH_DATA)/kiosk-100k.db: $(BUILD)/tests/bench-gen $(wildcard assets/checklists/*.json)
	@mkdir -p $(dir $@)
	$(BUILD)/tests/bench-gen --events 100000 --out $@
# 1,000,000 events over six years, all but the newest 2,000 sent: for start, status, report.
$(BENCH_DATA)/kiosk-1m.db: $(BUILD)/tests/bench-gen $(wildcard assets/checklists/*.json)
	@mkdir -p $(dir $@)
	$(BUILD)/tests/bench-gen --events 1000000 --pending 2000 --out $@

.PHONY: bench-data
bench-data: $(BENCH_DBS)
