# SPDX-License-Identifier: Apache-2.0
# Tests. Each folder's fragment adds to TEST_BINS (cmocka programs, run
# with no arguments) and TEST_SCRIPTS (shell scripts, run with BUILD set),
# and benchmarks to BENCH_BINS / BENCH_SCRIPTS. tests/run.sh runs them all.
TEST_BINS :=
TEST_SCRIPTS :=
BENCH_BINS :=
BENCH_SCRIPTS :=
TEST_LIBS = $(call pc_libs,cmocka $(PKGS_CORE))

-include tests/unit/module.mk
-include tests/content/module.mk
-include tests/sync/module.mk
-include tests/client/module.mk
-include tests/tty/module.mk
-include tests/cli/module.mk
-include tests/bench/module.mk

.PHONY: build-tests build-bench
build-tests: $(ALL_BINS) $(TEST_BINS)
build-bench: $(ALL_BINS) $(BENCH_BINS) $(BENCH_DBS)

test-run:
	@BUILD=$(BUILD) sh tests/run.sh $(TEST_BINS) $(TEST_SCRIPTS)

# Each benchmark adds its lines to the table, printed whole at the end.
bench-run:
	@rm -f $(BUILD)/bench-table.tsv
	@BUILD=$(BUILD) BENCH_TABLE=$(abspath $(BUILD)/bench-table.tsv) \
	    BENCH_DB_100K=$(abspath $(BENCH_DATA)/kiosk-100k.db) \
	    BENCH_DB_1M=$(abspath $(BENCH_DATA)/kiosk-1m.db) \
	    sh tests/run.sh $(BENCH_BINS) $(BENCH_SCRIPTS)
	@sh tests/bench/table.sh $(BUILD)/bench-table.tsv
