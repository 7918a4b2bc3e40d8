#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build tsnic.ko for kernel KVER in .build/KVER (a copy of the kernel-side
# sources, so several kernels' objects never mix), with W=1; print the path
# of the module.  Warnings are errors here: the driver is W=1 clean.
#
#   build-module.sh KVER          build (and with TSNIC_SPARSE=1, then sparse)
#   build-module.sh -s KVER       sparse only, over the W=1 build of KVER
#                                 already in .build/KVER (make check's)
#
# sparse runs in the W=1 build tree with the same flags plus C=2: the
# objects are up to date, so kbuild runs only the checker over every file
# and the module is left as it was built (about 5 s instead of a rebuild).
set -euo pipefail
sparse_only=
if [ "${1:-}" = -s ]; then
	sparse_only=1
	shift
fi
kver=$1
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
kdir=${KDIR_OVERRIDE:-/lib/modules/$kver/build}
[ -d "$kdir" ] || { echo "build: no headers for $kver ($kdir)" >&2; exit 1; }
b=${TSNIC_BUILD:-$tree/.build}/$kver
export TSNIC_VERSION=${TSNIC_VERSION:-$(git -C "$tree" describe --always --dirty --tags 2>/dev/null || echo 0.1)}

sparse() {
	local ko=$b/driver/tsnic.ko before
	before=$(stat -c %Y.%s "$ko")
	make -C "$kdir" M="$b" W=1 C=2 modules >"$b/sparse.log" 2>&1 || true
	if grep -E '(warning|error):' "$b/sparse.log" >&2; then
		echo "build: sparse reports problems for $kver" >&2
		exit 3
	fi
	if [ "$(stat -c %Y.%s "$ko")" != "$before" ]; then
		echo "build: the sparse pass rebuilt $ko (flags changed?)" >&2
		exit 1
	fi
}

if [ -n "$sparse_only" ]; then
	[ -e "$b/driver/tsnic.ko" ] || { echo "build: no W=1 build in $b" >&2; exit 1; }
	sparse
	exit 0
fi
mkdir -p "$b"
rm -rf "$b/driver" "$b/uapi"
cp -r "$tree/driver" "$tree/uapi" "$tree/Kbuild" "$b/"
find "$b/driver" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' \) -delete
log=$b/build.log
if ! make -C "$kdir" M="$b" W=1 modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build: FAILED for $kver" >&2
	exit 1
fi
if grep -q 'warning:' "$log"; then
	grep -B2 -A4 'warning:' "$log" >&2
	echo "build: warnings for $kver (W=1 must be clean)" >&2
	exit 1
fi
[ -z "${TSNIC_SPARSE:-}" ] || sparse
echo "$b/driver/tsnic.ko"
