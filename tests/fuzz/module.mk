# SPDX-License-Identifier: Apache-2.0
# libFuzzer harnesses for every parser of outside input (checklists, the
# wire's bodies, the server's whole HTTP request path, the settings file). Built only by
# `make fuzz` / `make fuzz-check` (clang, ASan, UBSan), into build-fuzz/.
FUZZ_BINS := $(BUILD)/fuzz/fuzz-checklist $(BUILD)/fuzz/fuzz-wire $(BUILD)/fuzz/fuzz-http \
    $(BUILD)/fuzz/fuzz-config
FUZZ_SEEDS_checklist := tests/data/checklists assets/checklists
FUZZ_SEEDS_wire := tests/fuzz/seeds/wire
FUZZ_SEEDS_http := tests/fuzz/seeds/http
FUZZ_SEEDS_config := tests/fuzz/seeds/config

$(BUILD)/fuzz/fuzz-checklist: $(BUILD)/tests/fuzz/fuzz-checklist.o $(MODEL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_MODEL))

$(BUILD)/fuzz/fuzz-wire: $(BUILD)/tests/fuzz/fuzz-wire.o $(SYNC_PROTO_OBJS) $(MODEL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CLIENT) $(PKGS_MODEL))

# The server's HTTP path: every server object but main.o, driven in process.
$(BUILD)/fuzz/fuzz-http: $(BUILD)/tests/fuzz/fuzz-http.o \
    $(filter-out $(BUILD)/sync/server/main.o,$(SYNC_SERVER_OBJS)) $(SYNC_PROTO_OBJS) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,$(PKGS_SERVER) $(PKGS_CORE)) -lpthread

$(BUILD)/fuzz/fuzz-config: $(BUILD)/tests/fuzz/fuzz-config.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CORE))

.PHONY: build-fuzz fuzz-run fuzz-check-run
build-fuzz: $(FUZZ_BINS)

# Each harness for FUZZ_SECONDS, new inputs kept in $(BUILD)/corpus-NAME,
# a crash written to $(BUILD)/ (copy it into the seeds once it is fixed).
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
	-artifact_prefix=$(BUILD)/
fuzz-run:
	@mkdir -p $(BUILD)/corpus-checklist $(BUILD)/corpus-wire $(BUILD)/corpus-http \
	    $(BUILD)/corpus-config
	$(BUILD)/fuzz/fuzz-checklist $(FUZZ_RUN) $(BUILD)/corpus-checklist $(FUZZ_SEEDS_checklist)
	$(BUILD)/fuzz/fuzz-wire $(FUZZ_RUN) $(BUILD)/corpus-wire $(FUZZ_SEEDS_wire)
	$(BUILD)/fuzz/fuzz-http $(FUZZ_RUN) $(BUILD)/corpus-http $(FUZZ_SEEDS_http)
	$(BUILD)/fuzz/fuzz-config $(FUZZ_RUN) $(BUILD)/corpus-config $(FUZZ_SEEDS_config)

# The seeds (and every crash ever fixed, kept in the seed folders) run once each.
fuzz-check-run:
	$(BUILD)/fuzz/fuzz-checklist -runs=0 $(FUZZ_SEEDS_checklist) tests/fuzz/seeds/checklist
	$(BUILD)/fuzz/fuzz-wire -runs=0 $(FUZZ_SEEDS_wire)
	$(BUILD)/fuzz/fuzz-http -runs=0 $(FUZZ_SEEDS_http)
	$(BUILD)/fuzz/fuzz-config -runs=0 $(FUZZ_SEEDS_config)
