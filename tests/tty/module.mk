# SPDX-License-Identifier: Apache-2.0
# Terminal tests: the real `sotay` in a pseudo-terminal, its screen read
# through libvterm (tests/tty/driver.c). tty-test asserts what is on screen
# and in the database; tty-bench measures start-up, redraws, bytes and memory
# on the realistic 1M-event database (tests/bench) beside `dialog --menu`.
TTY_COMMON := $(BUILD)/tests/tty/driver.o $(BUILD)/tests/tty/fixture.o $(TESTLIB)
# What the tests (not the benchmark) do with the screen: cmocka checks.
TTY_SCREEN := $(BUILD)/tests/tty/screen.o
TEST_BINS  += $(BUILD)/tests/tty-test
BENCH_BINS += $(BUILD)/tests/tty-bench

$(BUILD)/tests/tty-test: $(BUILD)/tests/tty/test-tty.o $(TTY_SCREEN) $(TTY_COMMON) $(CORE_LIB) | $(BUILD)/sotay $(BUILD)/sotay-sync
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,cmocka vterm zbar $(PKGS_CORE)) -lutil

$(BUILD)/tests/tty-bench: $(BUILD)/tests/tty/bench-tty.o $(TTY_COMMON) \
    $(BUILD)/tests/bench/bench.o $(CORE_LIB) | $(BUILD)/sotay $(BUILD)/sotay-sync
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,vterm $(PKGS_CORE)) -lutil

# Help for people who read slowly: read aloud, the slip, a large font's size.
TEST_BINS += $(BUILD)/tests/tty-help-test
$(BUILD)/tests/tty-help-test: $(BUILD)/tests/tty/test-tty-help.o $(TTY_SCREEN) $(TTY_COMMON) $(CORE_LIB) | $(BUILD)/sotay
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,cmocka vterm $(PKGS_CORE)) -lutil
