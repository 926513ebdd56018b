# SPDX-License-Identifier: Apache-2.0
# Packaging: what `make install` adds beyond the two programs (man pages,
# systemd units, the default settings, the kiosk autostart helper and its
# examples), `make deb` (Debian packages built with Debian's own tools in
# build-deb/, the source tree left as it was) and `make test-packaging`.
#
# SYSCONFDIR is /etc whatever PREFIX is: the programs read /etc/sotay and the
# units /etc/sotay-server. Settings already there are never overwritten.
SYSCONFDIR	?= /etc
SYSTEMD_UNITDIR	?= $(PREFIX)/lib/systemd/system
MANDIR		?= $(PREFIX)/share/man
DEB_DIR		?= build-deb

PKG_SUBST = sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@SBINDIR@|$(PREFIX)/sbin|g' \
	-e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@VERSION@|$(SOTAY_VERSION)|g'

.PHONY: deb test-packaging

install:: all
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 packaging/man/sotay.1 $(DESTDIR)$(MANDIR)/man1/sotay.1
	install -m 0644 packaging/man/sotay-server.8 $(DESTDIR)$(MANDIR)/man8/sotay-server.8
	install -m 0644 packaging/man/sotay-kiosk-setup.8 $(DESTDIR)$(MANDIR)/man8/sotay-kiosk-setup.8
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	$(PKG_SUBST) packaging/systemd/sotay-server.service.in > $(DESTDIR)$(SYSTEMD_UNITDIR)/sotay-server.service
	$(PKG_SUBST) packaging/systemd/sotay-sync.service.in > $(DESTDIR)$(SYSTEMD_UNITDIR)/sotay-sync.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/sotay-server.service $(DESTDIR)$(SYSTEMD_UNITDIR)/sotay-sync.service
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(LIBEXECDIR)/sotay $(DESTDIR)$(DATADIR)/sotay/kiosk
	$(PKG_SUBST) packaging/kiosk/sotay-kiosk-setup.in > $(DESTDIR)$(PREFIX)/sbin/sotay-kiosk-setup
	$(PKG_SUBST) packaging/kiosk/kiosk-session.in > $(DESTDIR)$(LIBEXECDIR)/sotay/kiosk-session
	chmod 0755 $(DESTDIR)$(PREFIX)/sbin/sotay-kiosk-setup $(DESTDIR)$(LIBEXECDIR)/sotay/kiosk-session
	$(PKG_SUBST) packaging/kiosk/getty-sotay-kiosk.conf.in > $(DESTDIR)$(DATADIR)/sotay/kiosk/getty-sotay-kiosk.conf
	$(PKG_SUBST) packaging/kiosk/sotay-kiosk.desktop.in > $(DESTDIR)$(DATADIR)/sotay/kiosk/sotay-kiosk.desktop
	$(PKG_SUBST) packaging/kiosk/sudoers-sotay-kiosk.in > $(DESTDIR)$(DATADIR)/sotay/kiosk/sudoers-sotay-kiosk
	cp packaging/kiosk/sotay-screen.set $(DESTDIR)$(DATADIR)/sotay/kiosk/sotay-screen.set
	chmod 0644 $(DESTDIR)$(DATADIR)/sotay/kiosk/*
	install -d $(DESTDIR)$(SYSCONFDIR)/sotay $(DESTDIR)$(SYSCONFDIR)/sotay-server
	[ -e $(DESTDIR)$(SYSCONFDIR)/sotay/sotay.conf ] || \
	    install -m 0644 packaging/config/sotay.conf $(DESTDIR)$(SYSCONFDIR)/sotay/sotay.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/sotay-server/sotay-server.env ] || \
	    install -m 0644 packaging/config/sotay-server.env $(DESTDIR)$(SYSCONFDIR)/sotay-server/sotay-server.env

# Settings (/etc) and data (/var/lib) stay: they are the admin's, not ours.
uninstall::
	rm -f $(DESTDIR)$(MANDIR)/man1/sotay.1 $(DESTDIR)$(MANDIR)/man8/sotay-server.8 \
	    $(DESTDIR)$(MANDIR)/man8/sotay-kiosk-setup.8
	rm -f $(DESTDIR)$(SYSTEMD_UNITDIR)/sotay-server.service $(DESTDIR)$(SYSTEMD_UNITDIR)/sotay-sync.service
	rm -f $(DESTDIR)$(PREFIX)/sbin/sotay-kiosk-setup
	rm -rf $(DESTDIR)$(LIBEXECDIR)/sotay

# The packages: a copy of the tree in $(DEB_DIR)/sotay-VERSION with
# packaging/debian as its debian/, built there; the .deb files land in $(DEB_DIR).
DEB_SRC = $(DEB_DIR)/sotay-$(SOTAY_VERSION)
deb:
	@$(MAKE) --no-print-directory deps DEPS_FOR=deb
	@v=$$(dpkg-parsechangelog -l packaging/debian/changelog -S Version) && \
	    [ "$$v" = "$(SOTAY_VERSION)" ] || { echo "deb: packaging/debian/changelog is at" \
	    "version $$v but VERSION says $(SOTAY_VERSION); add a changelog entry first." >&2; exit 1; }
	rm -rf $(DEB_SRC)
	mkdir -p $(DEB_SRC)
	tar -cf - --exclude='./build*' --exclude='./.git' --exclude='./packaging/debian' \
	    --exclude='./tests' --exclude='./.ci' . | tar -xf - -C $(DEB_SRC)
	cp -R packaging/debian $(DEB_SRC)/debian
	cd $(DEB_SRC) && dpkg-buildpackage --build=binary --no-sign
	@ls -1 $(DEB_DIR)/*.deb

test-packaging:
	BUILD=$(BUILD) bash tests/packaging/test-packaging.sh
