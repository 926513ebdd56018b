# SPDX-License-Identifier: Apache-2.0
# The officers' accounts on the command line (test-accounts.sh), and the
# dashboard in a real headless Chromium (python3-selenium):
# test-web.py starts the real sotay-server, fills it through real kiosks
# (web-seed writes a day's events into a kiosk's database, `sotay sync`
# sends them) and checks the pages a province and a commune officer see.
# Screenshots of every page go to $(BUILD)/test-artefacts/web/.
TEST_SCRIPTS += tests/web/test-accounts.sh tests/web/test-web.py tests/web/test-web-pg.sh

build-tests: $(BUILD)/tests/web-seed

$(BUILD)/tests/web-seed: $(BUILD)/tests/web/web-seed.o $(CORE_LIB) | $(BUILD)/sotay \
    $(BUILD)/sotay-sync $(BUILD)/sotay-server
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc_libs,$(PKGS_CORE))

.SECONDARY: $(BUILD)/tests/web/web-seed.o
# make bench: the pages' times with 1 million events.
BENCH_SCRIPTS += tests/web/bench-web.sh
