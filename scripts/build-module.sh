#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build tsnic.ko for kernel KVER in .build/KVER (a copy of the kernel-side
# sources, so several kernels' objects never mix), with W=1; print the path
# of the module.  Warnings are errors here: the driver is W=1 clean.
set -euo pipefail
kver=$1
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
kdir=${KDIR_OVERRIDE:-/lib/modules/$kver/build}
[ -d "$kdir" ] || { echo "build: no headers for $kver ($kdir)" >&2; exit 1; }
b=${TSNIC_BUILD:-$tree/.build}/$kver
mkdir -p "$b"
rm -rf "$b/driver" "$b/uapi"
cp -r "$tree/driver" "$tree/uapi" "$tree/Kbuild" "$b/"
find "$b/driver" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' \) -delete
export TSNIC_VERSION=${TSNIC_VERSION:-$(git -C "$tree" describe --always --dirty --tags 2>/dev/null || echo 0.1)}
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
if [ -n "${TSNIC_SPARSE:-}" ]; then
	# sparse over every file (C=2), in a copy so the module stays as built
	sp=$b-sparse
	rm -rf "$sp"
	mkdir -p "$sp"
	cp -r "$tree/driver" "$tree/uapi" "$tree/Kbuild" "$sp/"
	find "$sp" \( -name '*.o' -o -name '*.cmd' -o -name 'kcompat_generated.h' \) -delete
	make -C "$kdir" M="$sp" C=2 modules >"$sp/sparse.log" 2>&1 || true
	if grep -E '(warning|error):' "$sp/sparse.log" >&2; then
		echo "build: sparse reports problems for $kver" >&2
		exit 3
	fi
fi
echo "$b/driver/tsnic.ko"
