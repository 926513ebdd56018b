# SPDX-License-Identifier: Apache-2.0
# The `sotay` command line, end to end through the real binary.
TEST_SCRIPTS += tests/cli/test-cli.sh
