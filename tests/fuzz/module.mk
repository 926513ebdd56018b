# SPDX-License-Identifier: Apache-2.0
# libFuzzer harnesses for every parser of outside input. Built only by
# `make fuzz` / `make fuzz-check` (clang, ASan, UBSan), into build-fuzz/.
FUZZ_BINS := $(BUILD)/fuzz/fuzz-checklist $(BUILD)/fuzz/fuzz-wire
FUZZ_SEEDS_checklist := tests/data/checklists assets/checklists
FUZZ_SEEDS_wire := tests/fuzz/seeds/wire

$(BUILD)/fuzz/fuzz-checklist: $(BUILD)/tests/fuzz/fuzz-checklist.o $(MODEL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_MODEL))

$(BUILD)/fuzz/fuzz-wire: $(BUILD)/tests/fuzz/fuzz-wire.o $(SYNC_PROTO_OBJS) $(MODEL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CLIENT) $(PKGS_MODEL))

.PHONY: build-fuzz fuzz-run fuzz-check-run
build-fuzz: $(FUZZ_BINS)

# Each harness for FUZZ_SECONDS, new inputs kept in $(BUILD)/corpus-NAME,
# a crash written to $(BUILD)/ (copy it into the seeds once it is fixed).
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
	-artifact_prefix=$(BUILD)/
fuzz-run:
	@mkdir -p $(BUILD)/corpus-checklist $(BUILD)/corpus-wire
	$(BUILD)/fuzz/fuzz-checklist $(FUZZ_RUN) $(BUILD)/corpus-checklist $(FUZZ_SEEDS_checklist)
	$(BUILD)/fuzz/fuzz-wire $(FUZZ_RUN) $(BUILD)/corpus-wire $(FUZZ_SEEDS_wire)

# The seeds (and every crash ever fixed, kept in the seed folders) run once each.
fuzz-check-run:
	$(BUILD)/fuzz/fuzz-checklist -runs=0 $(FUZZ_SEEDS_checklist) tests/fuzz/seeds/checklist
	$(BUILD)/fuzz/fuzz-wire -runs=0 $(FUZZ_SEEDS_wire)
