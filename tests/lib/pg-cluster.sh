#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A throw-away PostgreSQL cluster for tests and benchmarks:
#
#   sh tests/lib/pg-cluster.sh run COMMAND [ARG…]
#   sh tests/lib/pg-cluster.sh run-durable COMMAND [ARG…]
#
# makes a cluster in a new temporary folder (initdb; Unix socket only, no
# TCP, no password), runs COMMAND with SOTAY_TEST_PG_HOST set to the
# socket's folder and SOTAY_TEST_PG_USER to the cluster's superuser, then
# stops the cluster and removes the folder, also when COMMAND fails or the
# run is interrupted. The exit code is COMMAND's. When PostgreSQL is not
# installed it says so and exits 77 (skip) without running COMMAND.
#
# initdb and postgres refuse to run as root: as root the cluster runs as
# the unprivileged user "nobody" (the folder is given to it).
#
# "run" turns fsync off: a test's cluster lives as long as the test. A
# benchmark uses "run-durable": fsync on, as a real server runs and as
# SQLite's synchronous=FULL runs beside it, so neither store is flattered.
set -u

# Debian's versioned folder (newest first), then PATH.
pg_bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return 0
	fi
	return 1
}

case "${1:-}" in
run)		nosync="-N"; fsync="-c fsync=off" ;;
run-durable)	nosync=""; fsync="-c fsync=on -c synchronous_commit=on" ;;
*)		nosync="" ;;
esac
[ "${1:-}" = run ] || [ "${1:-}" = run-durable ] && [ $# -ge 2 ] || {
	echo "usage: sh tests/lib/pg-cluster.sh run|run-durable COMMAND [ARG…]" >&2
	exit 2
}
shift

if ! bin=$(pg_bindir); then
	echo "pg-cluster: PostgreSQL is not installed (no initdb in PATH or" \
	    "/usr/lib/postgresql/*/bin); install it with \`make deps\`" \
	    "(packages postgresql, libpq-dev). Skipping the PostgreSQL tests." >&2
	exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/sotay-pg.XXXXXX") || exit 1
as=""
if [ "$(id -u)" = 0 ]; then
	chown nobody "$dir" || exit 1
	as="runuser -u nobody --"
fi
user=sotay

stop() {
	$as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
}
trap 'stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! $as "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 \
    --locale=C.UTF-8 $nosync >"$dir/initdb.log" 2>&1; then
	echo "pg-cluster: initdb failed:" >&2
	cat "$dir/initdb.log" >&2
	exit 1
fi
# Unix socket in the folder only; enough connections for several servers.
if ! $as "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses= -k $dir -c max_connections=300 $fsync" \
    start >/dev/null; then
	echo "pg-cluster: PostgreSQL did not start:" >&2
	cat "$dir/postgres.log" >&2
	exit 1
fi

SOTAY_TEST_PG_HOST=$dir SOTAY_TEST_PG_USER=$user PG_BINDIR=$bin "$@"
