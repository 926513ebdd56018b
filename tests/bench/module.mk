# SPDX-License-Identifier: Apache-2.0
# Benchmarks of the core (`make bench`): figures printed, nothing asserted.
BENCH_BINS += $(BUILD)/tests/bench-core

$(BUILD)/tests/bench-core: $(BUILD)/tests/bench/bench-core.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CORE))
