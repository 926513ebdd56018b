#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks that the libraries and tools Sổ tay số builds and tests with are
# installed; as root it installs what is missing with apt-get, otherwise it
# prints the exact command to run. Debian 12 package names.
# `deps.sh deb` also checks the tools that build the Debian packages.
set -u

# pkg-config module (.pc), command, or file (/…) : Debian package
NEEDS="
pkg-config:pkg-config
cc:gcc
make:make
sqlite3.pc:libsqlite3-dev
json-c.pc:libjson-c-dev
libsodium.pc:libsodium-dev
/usr/include/uninorm.h:libunistring-dev
libcurl.pc:libcurl4-openssl-dev
zlib.pc:zlib1g-dev
libmicrohttpd.pc:libmicrohttpd-dev
libpq.pc:libpq-dev
/usr/lib/postgresql/15/bin/initdb:postgresql
ncursesw.pc:libncurses-dev
libqrencode.pc:libqrencode-dev
cmocka.pc:libcmocka-dev
vterm.pc:libvterm-dev
zbar.pc:libzbar-dev
msgfmt:gettext
sqlite3:sqlite3
openssl:openssl
dialog:dialog
clang:clang
/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
chromium:chromium
chromedriver:chromium-driver
/usr/lib/python3/dist-packages/selenium:python3-selenium
espeak-ng:espeak-ng
lp:cups-client
setfont:kbd
bdf2psf:bdf2psf
pcf2bdf:pcf2bdf
/usr/share/fonts/X11/misc/unifont.pcf.gz:xfonts-unifont
"
if [ "${1:-}" = deb ]; then
	NEEDS="$NEEDS
dpkg-buildpackage:dpkg-dev
dh:debhelper
"
fi

missing=""
for need in $NEEDS; do
	what=${need%%:*}
	pkg=${need#*:}
	case $what in
	*.pc)	pkg-config --exists "${what%.pc}" 2>/dev/null || missing="$missing $pkg" ;;
	/*)	[ -e "$what" ] || missing="$missing $pkg" ;;
	*)	command -v "$what" >/dev/null 2>&1 || missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || exit 1
	apt-get install -y -q --no-install-recommends $missing || exit 1
	exit 0
fi

echo "deps: these packages are missing:$missing" >&2
echo "deps: install them with:  sudo apt-get install$missing" >&2
exit 1
