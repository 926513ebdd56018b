#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# test-packaging.sh: what a Debian admin does with the packages, for real.
# Builds them (`make deb`), runs lintian (no errors allowed), checks that
# the manual pages render without warnings and `make install`/`uninstall`
# into a staging folder; then, as root, installs both packages with dpkg,
# runs the server as its own user with the unit's own command line, adds a
# kiosk, enrols and syncs through the installed programs, turns the kiosk
# autostart on and off, reinstalls over itself (an upgrade), removes and
# purges, checking at each stage the files, users and modes an admin
# expects. Whatever happens, the trap purges what it installed.
#
# Usage: tests/packaging/test-packaging.sh   (from anywhere; root for the
# install part, which refuses to run where sotay is already installed)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
BUILD=${BUILD:-build}
DEB_DIR=build-deb
VERSION=$(cat VERSION)
unset SOTAY_DB SOTAY_CONFIG SOTAY_CONTENT SOTAY_SERVER_DB SOTAY_ADMIN_TOKEN
export LC_ALL=C.UTF-8 SOTAY_LANG=en DEBIAN_FRONTEND=noninteractive

fails=0
checks=0
ok()   { checks=$((checks + 1)); printf 'ok   %s\n' "$*"; }
bad()  { checks=$((checks + 1)); fails=$((fails + 1)); printf 'FAIL %s\n' "$*"; }
# check "what an admin expects" command...: passes when the command does.
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
step() { printf '\n== %s\n' "$*"; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
owner_mode() { [ "$(stat -c '%U:%G %a' "$1" 2>/dev/null)" = "$2" ]; }
user_exists() { getent passwd "$1" >/dev/null; }
group_exists() { getent group "$1" >/dev/null; }
user_shell() { getent passwd "$1" | cut -d: -f7; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
present() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -qv 'not-installed'; }

TMP=$(mktemp -d /tmp/sotay-packaging.XXXXXX)
SERVER_PID=
WE_INSTALLED=0
DESK_USER=
cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	if [ "$WE_INSTALLED" = 1 ]; then
		dpkg --purge sotay sotay-server >/dev/null 2>&1
	fi
	if [ -n "$DESK_USER" ] && user_exists "$DESK_USER"; then
		userdel -r "$DESK_USER" >/dev/null 2>&1
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

root=0
[ "$(id -u)" = 0 ] && root=1

step "tools"
if [ $root = 1 ]; then
	sh packaging/deps.sh || exit 1
	need=""
	for t in dpkg-buildpackage:dpkg-dev dh:debhelper fakeroot:fakeroot lintian:lintian \
	    man:man-db groff:groff-base curl:curl sudo:sudo visudo:sudo; do
		command -v "${t%%:*}" >/dev/null || case " $need " in
			*" ${t#*:} "*) ;;
			*) need="$need ${t#*:}" ;;
			esac
	done
	if [ -n "$need" ]; then
		echo "installing:$need"
		apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $need \
		    >"$TMP/apt.log" 2>&1 || { cat "$TMP/apt.log"; exit 1; }
	fi
fi
for t in dpkg-buildpackage dh lintian man; do
	command -v $t >/dev/null || { echo "missing $t: apt-get install debhelper dpkg-dev fakeroot lintian man-db"; exit 1; }
done

step "manual pages render without warnings"
for page in packaging/man/*.[18]; do
	err=$(MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >"$TMP/page.txt")
	check "$page: no warnings${err:+ ($err)}" test -z "$err"
done
check "sotay.1 has EXIT STATUS, FILES, ENVIRONMENT" \
    grep -q 'EXIT STATUS' <(man -l packaging/man/sotay.1 2>/dev/null)
# Every command and option the program's --help names is in its page.
man -l packaging/man/sotay.1 2>/dev/null > "$TMP/sotay.1.txt"
for word in "content check" "volunteer add" "volunteer list" "volunteer disable" \
    "volunteer enable" "volunteer pin" "--pin-stdin" "status" "report" "--from" "--to" \
    "export" "enroll" "sync" "--watch" "--json" "--ca-file" "--timeout" "--db" "--config" \
    "--content" "--kiosk" "--lang" "--version" "--help" SOTAY_DB SOTAY_CONFIG SOTAY_CONTENT \
    SOTAY_LANG /etc/sotay/sotay.conf /var/lib/sotay/sotay.db; do
	grep -qF -- "$word" "$TMP/sotay.1.txt" || bad "sotay.1 names $word"
done
man -l packaging/man/sotay-server.8 2>/dev/null > "$TMP/sotay-server.8.txt"
for word in serve "kiosk add" "kiosk list" "kiosk revoke" "content publish" --db --listen \
    --threads --admin-token-file --province --commune --hamlet --name --lang \
    SOTAY_SERVER_DB SOTAY_ADMIN_TOKEN /var/lib/sotay-server/server.db; do
	grep -qF -- "$word" "$TMP/sotay-server.8.txt" || bad "sotay-server.8 names $word"
done
ok "man pages name every command, option and variable checked"

step "make install / make uninstall into a staging folder"
STAGE=$TMP/stage
if make --no-print-directory BUILD="$BUILD" PREFIX=/usr/local DESTDIR="$STAGE" install \
    >"$TMP/install.log" 2>&1; then
	for f in usr/local/bin/sotay usr/local/bin/sotay-server usr/local/share/man/man1/sotay.1 \
	    usr/local/share/man/man8/sotay-server.8 usr/local/lib/systemd/system/sotay-server.service \
	    usr/local/lib/systemd/system/sotay-sync.service usr/local/sbin/sotay-kiosk-setup \
	    usr/local/libexec/sotay/kiosk-session usr/local/share/sotay/kiosk/getty-sotay-kiosk.conf \
	    usr/local/share/sotay/kiosk/sotay-screen.set \
	    usr/local/share/sotay/checklists etc/sotay/sotay.conf etc/sotay-server/sotay-server.env; do
		[ -e "$STAGE/$f" ] || bad "make install puts $f"
	done
	check "installed unit runs the installed program" \
	    grep -q '^ExecStart=/usr/local/bin/sotay-server serve ' \
	    "$STAGE/usr/local/lib/systemd/system/sotay-server.service"
	# @USER@ is the one placeholder left on purpose (the sudoers template's).
	check "no @PLACEHOLDER@ left in installed files" \
	    bash -c "! grep -rE '@(BINDIR|SBINDIR|LIBEXECDIR|DATADIR|SYSCONFDIR|VERSION)@' '$STAGE'"
	echo "province = Staged" >> "$STAGE/etc/sotay/sotay.conf"
	make --no-print-directory BUILD="$BUILD" PREFIX=/usr/local DESTDIR="$STAGE" install >/dev/null 2>&1
	check "make install again keeps the admin's settings" grep -q 'province = Staged' "$STAGE/etc/sotay/sotay.conf"
	make --no-print-directory BUILD="$BUILD" PREFIX=/usr/local DESTDIR="$STAGE" uninstall >/dev/null 2>&1
	left=$(find "$STAGE/usr" -type f | sed "s|$STAGE/||")
	check "make uninstall removes every file under the prefix${left:+ (left: $left)}" test -z "$left"
	check "make uninstall keeps /etc settings" test -f "$STAGE/etc/sotay/sotay.conf"
else
	bad "make install (see below)"; tail -20 "$TMP/install.log"
fi

step "make deb"
if make --no-print-directory deb >"$TMP/deb.log" 2>&1; then
	ok "make deb"
else
	bad "make deb"; tail -40 "$TMP/deb.log"; exit 1
fi
KIOSK_DEB=$DEB_DIR/sotay_${VERSION}_$(dpkg --print-architecture).deb
SERVER_DEB=$DEB_DIR/sotay-server_${VERSION}_$(dpkg --print-architecture).deb
check "built $KIOSK_DEB" test -f "$KIOSK_DEB"
check "built $SERVER_DEB" test -f "$SERVER_DEB"
check "source tree has no debian/ folder" test ! -e debian
check "package changelog version is VERSION ($VERSION)" \
    test "$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)" = "$VERSION"
check "sotay depends on its libraries and adduser" \
    bash -c "dpkg-deb -f '$KIOSK_DEB' Depends | grep -q 'libsqlite3-0.*adduser'"
check "sotay-server depends on libmicrohttpd" \
    bash -c "dpkg-deb -f '$SERVER_DEB' Depends | grep -q libmicrohttpd"

step "lintian"
lintian --allow-root "$DEB_DIR/sotay_${VERSION}_$(dpkg --print-architecture).changes" \
    >"$TMP/lintian.txt" 2>&1
sed 's/^/  /' "$TMP/lintian.txt"
check "lintian: no errors" bash -c "! grep -q '^E:' '$TMP/lintian.txt'"

if [ $root = 0 ]; then
	echo
	echo "SKIP install, sync, remove and purge: they need root (CI runs as root)."
	echo "packaging: $((checks - fails)) passed, $fails failed"
	[ $fails = 0 ]
	exit
fi

step "install"
for p in sotay sotay-server; do
	if present $p || user_exists $p || [ -e /var/lib/$p ] || [ -e /etc/$p ]; then
		echo "$p is already on this machine (package, user, /var/lib/$p or /etc/$p):"
		echo "this test installs and purges it, so it stops here rather than touch that."
		exit 1
	fi
done
WE_INSTALLED=1
if dpkg -i "$KIOSK_DEB" "$SERVER_DEB" >"$TMP/dpkg-i.log" 2>&1; then
	ok "dpkg -i both packages"
else
	bad "dpkg -i"; cat "$TMP/dpkg-i.log"; exit 1
fi
check "sotay is installed" installed sotay
check "sotay-server is installed" installed sotay-server
check "sotay --version is $VERSION" test "$(sotay --version)" = "sotay $VERSION"
check "/usr/libexec/sotay/sotay-sync is installed, mode 755" test "$(stat -c %a /usr/libexec/sotay/sotay-sync)" = 755
check "the kiosk screen's program links no libcurl" bash -c "! ldd /usr/bin/sotay | grep -q libcurl"
check "user sotay, shell nologin" test "$(user_shell sotay)" = /usr/sbin/nologin
check "user sotay-server, shell nologin" test "$(user_shell sotay-server)" = /usr/sbin/nologin
check "/var/lib/sotay is sotay:sotay 700" owner_mode /var/lib/sotay "sotay:sotay 700"
check "/var/lib/sotay-server is sotay-server:sotay-server 700" \
    owner_mode /var/lib/sotay-server "sotay-server:sotay-server 700"
check "/etc/sotay/sotay.conf is a conffile" \
    bash -c "dpkg-query -W -f='\${Conffiles}' sotay | grep -q ' /etc/sotay/sotay.conf '"
check "/etc/sotay-server/sotay-server.env is a conffile" \
    bash -c "dpkg-query -W -f='\${Conffiles}' sotay-server | grep -q ' /etc/sotay-server/sotay-server.env '"
check "admin token is root:sotay-server 640" owner_mode /etc/sotay-server/admin-token "root:sotay-server 640"
TOKEN_BEFORE=$(cat /etc/sotay-server/admin-token)
check "admin token is long enough (${#TOKEN_BEFORE} characters)" test ${#TOKEN_BEFORE} -ge 32
# Docs are compressed by dh_compress only above 4 KiB: either name will do.
for f in /usr/share/doc/sotay/README.md /usr/share/doc/sotay-server/PROTOCOL.md \
    /usr/share/doc/sotay-server/FORMAT.md /usr/share/sotay-server/checklists \
    /usr/share/sotay/kiosk/getty-sotay-kiosk.conf /usr/share/sotay/kiosk/sotay-kiosk.desktop; do
	[ -e "$f" ] || [ -e "$f.gz" ] || bad "installed: $f"
done
check "man sotay finds the installed page" bash -c "man -w sotay | grep -q /usr/share/man/man1/sotay.1"
err=$(MANWIDTH=80 man --warnings -E UTF-8 sotay-server 2>&1 >/dev/null)
check "installed sotay-server(8) renders without warnings" test -z "$err"
check "the installed programs find their words: sotay-server and sotay speak English" \
    bash -c "sotay-server --lang en --help | grep -q '^Usage:' && sotay --lang en --help | grep -q '^Usage:'"
check "the shipped settings file is read without error (sotay status as sotay)" \
    runuser -u sotay -- sotay --config /etc/sotay/sotay.conf status
check "the kiosk database is made in /var/lib/sotay, owned by sotay" \
    bash -c "stat -c %U:%G /var/lib/sotay/sotay.db | grep -qx sotay:sotay"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify /lib/systemd/system/sotay-server.service \
	    /lib/systemd/system/sotay-sync.service >"$TMP/verify.txt" 2>&1
	grep -i 'sotay' "$TMP/verify.txt" | sed 's/^/  /'
	check "systemd-analyze verify: nothing about the sotay units" \
	    bash -c "! grep -qi 'sotay-s' '$TMP/verify.txt'"
fi
check "the server unit is hardened" bash -c "grep -q '^ProtectSystem=strict' /lib/systemd/system/sotay-server.service &&
    grep -q '^ReadWritePaths=/var/lib/sotay-server' /lib/systemd/system/sotay-server.service &&
    grep -q '^NoNewPrivileges=yes' /lib/systemd/system/sotay-server.service &&
    grep -q '^User=sotay-server' /lib/systemd/system/sotay-server.service"
check "sotay-server.service is enabled" \
    test -L /etc/systemd/system/multi-user.target.wants/sotay-server.service
check "sotay-sync.service is not enabled before enrolment" \
    absent /etc/systemd/system/multi-user.target.wants/sotay-sync.service

step "server, as sotay-server, with the unit's command line"
PORT=$((20000 + $$ % 20000))
line=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/sotay-server.service)
line=${line//'${SOTAY_SERVER_LISTEN}'/127.0.0.1:$PORT}
line=${line//'${SOTAY_SERVER_THREADS}'/2}
line=${line//'${SOTAY_SERVER_DB}'//var/lib/sotay-server/server.db}
line=${line//'$SOTAY_SERVER_ARGS'/}
echo "  $line"
read -r -a argv <<<"$line"
setpriv --reuid=sotay-server --regid=sotay-server --init-groups -- "${argv[@]}" \
    >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 50); do
	if curl -fsS "http://127.0.0.1:$PORT/v1/health" 2>/dev/null | grep -q '"sotay.health.v1"'; then
		up=1; break
	fi
	sleep 0.2
done
if [ $up = 1 ]; then ok "server answers /v1/health on 127.0.0.1:$PORT"; else
	bad "server did not come up"; cat "$TMP/server.log"; exit 1; fi
check "server database made in /var/lib/sotay-server, owned by sotay-server" \
    bash -c "stat -c %U /var/lib/sotay-server/server.db | grep -qx sotay-server"
SRV=(runuser -u sotay-server -- sotay-server --db /var/lib/sotay-server/server.db)
check "content publish of the shipped checklists" \
    "${SRV[@]}" content publish /usr/share/sotay-server/checklists
"${SRV[@]}" kiosk add --province "Quảng Ngãi" --commune "Lân Phong" --hamlet "Thôn 1" \
    --name "NVH thôn 1" >"$TMP/kiosk-add.txt" 2>/dev/null
TOKEN=$(sed -n 's/^token: //p' "$TMP/kiosk-add.txt")
KIOSK_ID=$(sed -n 's/^kiosk: //p' "$TMP/kiosk-add.txt")
check "kiosk add prints an id and a token" test -n "$TOKEN" -a -n "$KIOSK_ID"

step "kiosk: enrol and sync through the installed sotay"
K=(runuser -u sotay -- sotay)
check "volunteer add (as sotay)" \
    bash -c "printf '4826\n' | runuser -u sotay -- sotay volunteer add 'Nguyễn Thị Lan' --role supervisor --pin-stdin >/dev/null"
check "sotay enroll" "${K[@]}" enroll "http://127.0.0.1:$PORT" "$TOKEN"
"${K[@]}" sync >"$TMP/sync.txt" 2>&1
rc=$?
check "sotay sync exits 0 (got $rc: $(tr '\n' ' ' <"$TMP/sync.txt"))" test $rc = 0
"${K[@]}" status --json >"$TMP/status.json" 2>/dev/null
check "sotay status: nothing pending after the sync" grep -Eq '"pending": *0[,} ]' "$TMP/status.json"
check "sotay status: the server's content version is held" \
    grep -Eq '"content_version": *"?[1-9]' "$TMP/status.json"
check "sotay status: the database is /var/lib/sotay/sotay.db" \
    grep -q '"/var/lib/sotay/sotay.db"' "$TMP/status.json"
"${SRV[@]}" kiosk list >"$TMP/kiosks.txt" 2>/dev/null
check "server holds the kiosk's events (kiosk list: held_seq > 0)" \
    awk -F'\t' -v id="$KIOSK_ID" '$1 == id && $6 == "active" && $7 > 0 { found = 1 } END { exit !found }' \
    "$TMP/kiosks.txt"
code=$(curl -s -o "$TMP/report.json" -w '%{http_code}' \
    -H "Authorization: Bearer $(cat /etc/sotay-server/admin-token)" \
    "http://127.0.0.1:$PORT/v1/reports?by=commune")
check "report with the packaged admin token: 200 sotay.report.v1" \
    bash -c "[ '$code' = 200 ] && grep -q '\"sotay.report.v1\"' '$TMP/report.json'"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/v1/reports?by=commune")
check "report with a kiosk token is refused (got $code)" test "$code" = 403 -o "$code" = 401

step "kiosk autostart on the console"
check "sotay-kiosk-setup enable" sotay-kiosk-setup --quiet enable
DROPIN=/etc/systemd/system/getty@tty1.service.d/sotay-kiosk.conf
check "getty drop-in autologins sotay on tty1" grep -q -- '--autologin sotay %I' "$DROPIN"
check "sotay's login shell is the kiosk session" \
    test "$(user_shell sotay)" = /usr/libexec/sotay/kiosk-session
check "the kiosk account gives no shell (su -c refused)" \
    bash -c "! su sotay -c 'echo shell' 2>/dev/null | grep -q shell"
check "status says tty1 is on" bash -c "sotay-kiosk-setup status | grep -q 'on for tty1'"
check "sotay-kiosk-setup disable" sotay-kiosk-setup --quiet disable
check "drop-in removed" absent "$DROPIN"
check "drop-in folder removed" absent "$(dirname "$DROPIN")"
check "sotay's shell is nologin again" test "$(user_shell sotay)" = /usr/sbin/nologin
check "enable --tty tty3" sotay-kiosk-setup --quiet enable --tty tty3
check "enable --tty rejects a bad name" bash -c "! sotay-kiosk-setup --quiet enable --tty 'x;y' 2>/dev/null"

step "kiosk autostart in a desktop session"
DESK_USER=sotaydesk$$
useradd -m "$DESK_USER"
check "enable-desktop $DESK_USER" sotay-kiosk-setup --quiet enable-desktop "$DESK_USER"
check "sudoers rule passes visudo" visudo -cqf /etc/sudoers.d/sotay-kiosk
check "sudoers file is 0440" owner_mode /etc/sudoers.d/sotay-kiosk "root:root 440"
check "sudo lets $DESK_USER run exactly sotay --kiosk as sotay" \
    bash -c "sudo -l -U '$DESK_USER' | grep -q '(sotay) NOPASSWD: /usr/bin/sotay --kiosk'"
AUTO=$(getent passwd "$DESK_USER" | cut -d: -f6)/.config/autostart/sotay-kiosk.desktop
check "autostart entry in ~$DESK_USER, owned by $DESK_USER" \
    bash -c "stat -c %U '$AUTO' | grep -qx '$DESK_USER' && grep -q '^Exec=x-terminal-emulator -e sudo -n -u sotay /usr/bin/sotay --kiosk' '$AUTO'"
check "disable-desktop $DESK_USER" sotay-kiosk-setup --quiet disable-desktop "$DESK_USER"
check "autostart entry removed" absent "$AUTO"
check "sudoers file removed with its last user" absent /etc/sudoers.d/sotay-kiosk
sotay-kiosk-setup --quiet enable-desktop "$DESK_USER" >/dev/null

step "upgrade: the same packages installed again"
echo "province = Quảng Ngãi" >> /etc/sotay/sotay.conf
if dpkg -i --force-confold "$KIOSK_DEB" "$SERVER_DEB" >"$TMP/dpkg-up.log" 2>&1; then
	ok "dpkg -i over the installed packages"
else
	bad "dpkg -i (upgrade)"; cat "$TMP/dpkg-up.log"
fi
check "the admin's change to sotay.conf is kept" grep -q '^province = Quảng Ngãi' /etc/sotay/sotay.conf
check "the admin token is unchanged" test "$(cat /etc/sotay-server/admin-token)" = "$TOKEN_BEFORE"
check "the kiosk database is kept (still enrolled)" \
    bash -c "runuser -u sotay -- sotay status --json | grep -q '\"$KIOSK_ID\"'"

kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=

step "dpkg --remove: programs go, data and settings stay"
if dpkg --remove sotay sotay-server >"$TMP/dpkg-r.log" 2>&1; then ok "dpkg --remove"; else
	bad "dpkg --remove"; cat "$TMP/dpkg-r.log"; fi
for f in /usr/bin/sotay /usr/bin/sotay-server /usr/sbin/sotay-kiosk-setup /usr/libexec/sotay \
    /usr/share/sotay /usr/share/sotay-server /usr/share/man/man1/sotay.1.gz \
    /usr/share/man/man8/sotay-server.8.gz /lib/systemd/system/sotay-server.service \
    /lib/systemd/system/sotay-sync.service; do
	check "removed: $f" absent "$f"
done
check "kiosk autostart turned off: getty drop-in gone" \
    bash -c "! ls /etc/systemd/system/getty@*.service.d/sotay-kiosk.conf 2>/dev/null | grep -q ."
check "kiosk autostart turned off: sotay's shell is nologin" test "$(user_shell sotay)" = /usr/sbin/nologin
check "kiosk autostart turned off: sudoers rule gone" absent /etc/sudoers.d/sotay-kiosk
check "kiosk autostart turned off: desktop entry gone" absent "$AUTO"
for f in /var/lib/sotay/sotay.db /var/lib/sotay-server/server.db /etc/sotay/sotay.conf \
    /etc/sotay-server/sotay-server.env /etc/sotay-server/admin-token; do
	check "kept: $f" test -f "$f"
done
check "kept: users sotay and sotay-server" bash -c "getent passwd sotay >/dev/null && getent passwd sotay-server >/dev/null"

step "dpkg --purge: data, settings and users go"
if dpkg --purge sotay sotay-server >"$TMP/dpkg-p.log" 2>&1; then ok "dpkg --purge"; else
	bad "dpkg --purge"; cat "$TMP/dpkg-p.log"; fi
for f in /var/lib/sotay /var/lib/sotay-server /etc/sotay /etc/sotay-server; do
	check "purged: $f" absent "$f"
done
for u in sotay sotay-server; do
	check "purged: user $u" bash -c "! getent passwd $u >/dev/null"
	check "purged: group $u" bash -c "! getent group $u >/dev/null"
done
check "dpkg no longer knows either package" bash -c "! dpkg-query -W sotay sotay-server >/dev/null 2>&1"
WE_INSTALLED=0

echo
echo "packaging: $((checks - fails)) passed, $fails failed"
[ $fails = 0 ]
