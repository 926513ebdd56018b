# The `sotay` command line, end to end through the real binary.
TEST_SCRIPTS += tests/cli/test-cli.sh
