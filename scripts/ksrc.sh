#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the few files tsnic uses from linux-source-6.12 (kselftest harness,
# checkpatch and its data, kernel-doc, the ynl CLI) into .build/ksrc, once, and print the
# directory.  Nothing extracted is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dst=${TSNIC_KSRC:-$here/../.build/ksrc}
tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "ksrc: linux-source-6.12 is not installed (make deps)" >&2; exit 1; }
# the stamp names the tarball and this script: a file added to the list
# below is extracted on the next run
stamp="$tarball $(sha1sum <"$0" | cut -c1-12)"
if [ -f "$dst/.stamp" ] && [ "$(cat "$dst/.stamp")" = "$stamp" ]; then
	echo "$dst"
	exit 0
fi
rm -rf "$dst"
mkdir -p "$dst"
tar -xf "$tarball" -C "$dst" --strip-components=1 --wildcards \
	'*/tools/testing/selftests/kselftest_harness.h' \
	'*/tools/testing/selftests/kselftest.h' \
	'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
	'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc' \
	'*/tools/net/ynl/*' '*/Documentation/netlink/*.yaml'
echo "$stamp" >"$dst/.stamp"
echo "$dst"
