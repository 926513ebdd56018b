# SPDX-License-Identifier: Apache-2.0
# Content tests: the bundled checklist library (a cmocka program over the
# core's loader) and `sotay content check` driven from the shell.
TEST_BINS += $(BUILD)/tests/test-library
TEST_SCRIPTS += tests/content/check-cli.sh

$(BUILD)/tests/test-library: $(BUILD)/tests/content/test-library.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)
