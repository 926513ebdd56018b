# SPDX-License-Identifier: Apache-2.0
# The build itself: install paths, an unchanged tree, CFLAGS (test-build.sh).
TEST_SCRIPTS += tests/build/test-build.sh
