#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# sotay-kiosk-setup font-large and font-default, on a private folder: the
# font it builds has every Vietnamese letter and the symbols the screens
# draw; the getty drop-in loads it doubled on the chosen tty; a screen that
# would be smaller than 80x24 at that size is refused; font-default undoes
# it all. setfont is a recording stand-in, so no real console is touched.
set -u
T=${TEST_TMP:?}/kiosk-font
rm -rf "$T"
mkdir -p "$T/share/sotay/kiosk" "$T/systemd" "$T/bin"
fails=0
check() {
	what=$1
	shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

if [ "$(id -u)" != 0 ]; then
	echo "skipped: sotay-kiosk-setup's font commands need root"
	exit 0
fi
cp packaging/kiosk/sotay-screen.set "$T/share/sotay/kiosk/"
sed -e "s|@DATADIR@|$T/share|g" -e "s|@LIBEXECDIR@|$T/libexec|g" \
    packaging/kiosk/sotay-kiosk-setup.in > "$T/sotay-kiosk-setup"
printf '#!/bin/sh\necho "$@" >> "%s/setfont.log"\n' "$T" > "$T/bin/setfont"
chmod 755 "$T/sotay-kiosk-setup" "$T/bin/setfont"
export SOTAY_KIOSK_SYSTEMD_DIR="$T/systemd" SOTAY_KIOSK_FONT_DIR="$T/font" \
    SOTAY_KIOSK_SETFONT="$T/bin/setfont"
setup() { "$T/sotay-kiosk-setup" --lang en "$@"; }
DROPIN=$T/systemd/getty@tty3.service.d/sotay-kiosk-font.conf
FONT=$T/font/sotay-vi-8x16.psf

# 1024x600 (a netbook): 64x18 characters with 16x32 cells, too small.
SOTAY_KIOSK_FB_SIZE=1024,600 setup font-large --tty tty3 > "$T/small.out" 2>&1
check "a screen too small for 80x24 is refused" [ $? = 1 ]
check "and the message says the size" grep -q "64x18 characters, less than the 80x24" "$T/small.out"
check "and nothing was made" [ ! -e "$DROPIN" ] && [ ! -e "$FONT" ]

# 1920x1080: 120x33 characters.
SOTAY_KIOSK_FB_SIZE=1920,1080 setup font-large --tty tty3 > "$T/large.out" 2>&1
check "font-large on a 1920x1080 screen" [ $? = 0 ]
check "it says the size" grep -q "120x33 characters" "$T/large.out"
check "the getty drop-in loads the font doubled" \
    grep -qx "ExecStartPre=-$T/bin/setfont -C /dev/%I -d $FONT" "$DROPIN"
check "status says large text is on" sh -c "'$T/sotay-kiosk-setup' --lang en status | grep -q 'large text: on for tty3'"

# The font: 512 glyphs of 8x16 (PSF1, as bdf2psf writes them), every Vietnamese letter and the screens' symbols mapped.
check "the font has every Vietnamese letter and the screens' symbols" python3 - "$FONT" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:2] == b'\x36\x04', d[:4]
mode, size = d[2], d[3]
assert mode & 1 and mode & 2 and size == 16, (mode, size)
have = set()
for i in range(4 + 512 * size, len(d) - 1, 2):
    u = struct.unpack('<H', d[i:i + 2])[0]
    if u < 0xfffe:
        have.add(chr(u))
lower = ('aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ'
         'uùúủũụưừứửữựyỳýỷỹỵđ')
want = lower + lower.upper() + '█░▀▄←→↑↓…“”—·×─│'
missing = [c for c in want if c not in have]
if missing:
    sys.exit('missing: ' + ''.join(missing))
PY

setup font-default > "$T/default.out" 2>&1
check "font-default" [ $? = 0 ]
check "the drop-in is gone" [ ! -e "$DROPIN" ] && [ ! -d "$T/systemd/getty@tty3.service.d" ]
check "the font is gone" [ ! -e "$FONT" ]
check "status says large text is off" sh -c "'$T/sotay-kiosk-setup' --lang en status | grep -q 'large text: off'"
setup font-default > "$T/again.out" 2>&1
check "font-default twice is fine" [ $? = 0 ]
check "and says there was nothing to undo" grep -q "nothing to turn off" "$T/again.out"
check "font-large --tty rejects a bad name" sh -c "! '$T/sotay-kiosk-setup' --quiet font-large --tty 'x;y' 2>/dev/null"

[ $fails = 0 ] || { echo "$fails failed"; exit 1; }
