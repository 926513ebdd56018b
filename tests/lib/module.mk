# SPDX-License-Identifier: Apache-2.0
# The test library (tests/lib/testlib.h), linked into every test program.
TESTLIB := $(BUILD)/tests/lib/testlib.o
