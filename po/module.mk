# SPDX-License-Identifier: Apache-2.0
# The UI's words: po/CODE.po, one catalogue a language, compiled by msgfmt
# into $(BUILD)/locale/CODE/LC_MESSAGES/sotay.mo (where a build tree's
# `sotay` finds them) and installed under $(DATADIR)/locale. A message's
# id is its Vietnamese wording. `make po` rebuilds po/sotay.pot from the
# sources and brings every catalogue up to date with it. Every program
# finds them through i18n_bind_default (src/i18n.h).
PO_LANGS := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/sotay.mo)
ALL_BINS += $(MO_FILES)
PO_SRCS   = $(sort $(wildcard ui/*.c src/*.c sync/*.c sync/server/*.c))

$(BUILD)/locale/%/LC_MESSAGES/sotay.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

.PHONY: po
po:
	xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
	    --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
	    --package-name=sotay --package-version=$(SOTAY_VERSION) \
	    --msgid-bugs-address= \
	    -o po/sotay.pot $(PO_SRCS)
	for l in $(PO_LANGS); do msgmerge --quiet --update --backup=none po/$$l.po po/sotay.pot || exit 1; done

# The server's package has its own copy (the kiosk's package owns the first).
install:: $(MO_FILES)
	for d in locale sotay-server/locale; do for l in $(PO_LANGS); do \
	    install -d $(DESTDIR)$(DATADIR)/$$d/$$l/LC_MESSAGES && \
	    install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/sotay.mo \
	        $(DESTDIR)$(DATADIR)/$$d/$$l/LC_MESSAGES/sotay.mo || exit 1; done; done

uninstall::
	for d in locale sotay-server/locale; do for l in $(PO_LANGS); do \
	    rm -f $(DESTDIR)$(DATADIR)/$$d/$$l/LC_MESSAGES/sotay.mo; done; done
