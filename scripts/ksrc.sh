#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the few files tsnic uses from linux-source-6.12 (kselftest harness
# and KTAP helpers, the KTAP parser, checkpatch and its data, kernel-doc,
# the ynl CLI, testptp and the PTP uapi header it is built with,
# net/so_txtime.c) into
# .build/ksrc, once, and print the directory.  Nothing extracted is
# committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dst=${TSNIC_KSRC:-$here/../.build/ksrc}
tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "ksrc: linux-source-6.12 is not installed (make deps)" >&2; exit 1; }
# what is extracted; a change to this list extracts again
files=(
	'*/tools/testing/selftests/kselftest_harness.h'
	'*/tools/testing/selftests/kselftest.h'
	'*/tools/testing/selftests/kselftest/ktap_helpers.sh'
	'*/tools/testing/kunit/kunit_parser.py' '*/tools/testing/kunit/kunit_printer.py'
	'*/scripts/checkpatch.pl' '*/scripts/spelling.txt'
	'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc'
	'*/tools/net/ynl/*' '*/Documentation/netlink/*.yaml'
	'*/tools/testing/selftests/ptp/testptp.c' '*/include/uapi/linux/ptp_clock.h'
	'*/tools/testing/selftests/net/so_txtime.c'
)
stamp="$tarball ${files[*]}"
if [ -f "$dst/.stamp" ] && [ "$(cat "$dst/.stamp")" = "$stamp" ]; then
	echo "$dst"
	exit 0
fi
rm -rf "$dst"
mkdir -p "$dst"
tar -xf "$tarball" -C "$dst" --strip-components=1 --wildcards "${files[@]}"
echo "$stamp" >"$dst/.stamp"
echo "$dst"
