# SPDX-License-Identifier: Apache-2.0
# sotay-kiosk-setup's large console font, run from the tree on a private
# folder (the whole package's install is `make test-packaging`).
TEST_SCRIPTS += tests/packaging/test-kiosk-font.sh
