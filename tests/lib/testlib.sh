# SPDX-License-Identifier: Apache-2.0
# testlib.sh: the test library's shell half (see testlib.h), sourced by the
# shell tests: the real sotay-server started and waited for on its
# readiness line, never a sleep.

# tl_server_start DB: starts `sotay-server serve` on a free loopback port
# over DB (its log in DB.log) and waits for the line naming the port; sets
# TL_SERVER_PID and TL_SERVER_URL. Fails (returns 1) if the server ends first.
tl_server_start() {
	_fifo="$1.ready"
	rm -f "$_fifo"
	mkfifo "$_fifo" || return 1
	"${BUILD:-build}/sotay-server" --db "$1" serve --listen 127.0.0.1:0 \
		> "$_fifo" 2> "$1.log" &
	TL_SERVER_PID=$!
	# Opening the pipe waits for the server to open it; read waits for its
	# first line, or the end of it if the server dies first.
	exec 9< "$_fifo"
	IFS= read -r _line <&9 || _line=""
	case $_line in
	"listening on "*)
		TL_SERVER_URL="http://${_line#listening on }"
		return 0 ;;
	esac
	echo "sotay-server did not start: $(cat "$1.log")" >&2
	return 1
}

# tl_server_stop: stops the server tl_server_start started and waits for it.
tl_server_stop() {
	kill "$TL_SERVER_PID" 2> /dev/null
	wait "$TL_SERVER_PID" 2> /dev/null
	exec 9<&-
}
