# SPDX-License-Identifier: Apache-2.0
# Unit tests of the core: tests/unit/test-NAME.c → $(BUILD)/tests/test-NAME.
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_BINS += $(UNIT_BINS)

$(BUILD)/tests/test-%: $(BUILD)/tests/unit/test-%.o $(BUILD)/tests/unit/helpers.o $(TESTLIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)
