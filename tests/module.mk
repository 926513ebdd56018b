# SPDX-License-Identifier: Apache-2.0
# Tests. Each folder's fragment adds to TEST_BINS (cmocka programs, run
# with no arguments) and TEST_SCRIPTS (shell scripts, run with BUILD set),
# and benchmarks to BENCH_BINS / BENCH_SCRIPTS. tests/run.sh runs them all.
TEST_BINS :=
TEST_SCRIPTS :=
BENCH_BINS :=
BENCH_SCRIPTS :=
TEST_LIBS = $(call pc_libs,cmocka $(PKGS_CORE))
# Tests may reach every part.
$(BUILD)/tests/%.o: override CPPFLAGS += -Itests/lib -Isrc -Isync -Iui
# tests/lib/test-db: what server tests share whichever store runs them.
TEST_DB_OBJ := $(BUILD)/tests/lib/test-db.o
.SECONDARY: $(TEST_DB_OBJ)

-include tests/lib/module.mk
-include tests/unit/module.mk
-include tests/content/module.mk
-include tests/sync/module.mk
-include tests/client/module.mk
-include tests/tty/module.mk
-include tests/cli/module.mk
-include tests/web/module.mk
-include tests/build/module.mk
-include tests/packaging/module.mk
-include tests/bench/module.mk

.PHONY: build-tests build-bench
build-tests: $(ALL_BINS) $(TEST_BINS)
build-bench: $(ALL_BINS) $(BENCH_BINS) $(BENCH_DBS)

# One make target a test, so `make -j test` runs them side by side; the
# slowest start first. Each result is a file in $(TEST_RESULTS).
TEST_RESULTS := $(BUILD)/test-results
TEST_SLOW = $(filter %/tty-test %/tty-help-test %/test-crash %/test-people %/test-server,$(TEST_BINS))
TEST_ALL = $(TEST_SLOW) $(filter-out $(TEST_SLOW),$(TEST_BINS)) $(TEST_SCRIPTS)
test-run:
	@rm -rf $(TEST_RESULTS)
	@$(MAKE) --no-print-directory $(TEST_ALL:%=$(TEST_RESULTS)/%.res)
	@BUILD=$(BUILD) sh tests/run.sh --summary $(TEST_RESULTS) $(TEST_ALL)

$(TEST_RESULTS)/%.res:
	@BUILD=$(BUILD) sh tests/run.sh --one $* $@

# Each benchmark adds its lines to the table, printed whole at the end.
bench-run:
	@rm -f $(BUILD)/bench-table.tsv
	@BUILD=$(BUILD) BENCH_TABLE=$(abspath $(BUILD)/bench-table.tsv) \
	    BENCH_DB_100K=$(abspath $(BENCH_DATA)/kiosk-100k.db) \
	    BENCH_DB_1M=$(abspath $(BENCH_DATA)/kiosk-1m.db) \
	    sh tests/run.sh $(BENCH_BINS) $(BENCH_SCRIPTS); rc=$$?; \
	    sh tests/bench/table.sh $(BUILD)/bench-table.tsv; exit $$rc
