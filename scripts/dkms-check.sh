#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that `dkms build` of tsnic succeeds for each given kernel, on the
# host (building loads no module), in private trees: the DKMS source and
# build trees live under $TSNIC_BUILD/dkms, nothing is written to
# /usr/src, /var/lib/dkms or /lib/modules.  Then check the module DKMS
# built: modinfo shows the version of dkms.conf.
#
#   dkms-check.sh KVER...
#
# Prints one "ok"/"not ok" line per kernel; exits non-zero if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
build=${TSNIC_BUILD:-$tree/.build}/dkms

if ! command -v dkms >/dev/null; then
	echo "not ok dkms: the dkms command is missing (make deps installs it)"
	exit 1
fi
[ $# -gt 0 ] || { echo "usage: dkms-check.sh KVER..." >&2; exit 2; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$tree/dkms.conf")
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$tree/dkms.conf")
if [ "$name" != tsnic ] || [ -z "$ver" ]; then
	echo "not ok dkms: dkms.conf lacks PACKAGE_NAME=\"tsnic\" or PACKAGE_VERSION"
	exit 1
fi

# The source as a package would ship it: what the build needs, no objects.
rm -rf "$build"
src=$build/src/$name-$ver
mkdir -p "$src" "$build/tree"
cp -r "$tree/dkms.conf" "$tree/Makefile" "$tree/Kbuild" "$tree/driver" \
	"$tree/uapi" "$src/"
find "$src/driver" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o \
	-name '*.mod' -o -name '*.mod.c' -o -name 'modules.order' -o \
	-name 'kcompat_generated.h' \) -delete

dk=(dkms --dkmstree "$build/tree" --sourcetree "$build/src"
    --installtree "$build/install" -m "$name" -v "$ver")

fail=0
if ! "${dk[@]}" add >"$build/add.log" 2>&1; then
	cat "$build/add.log"
	echo "not ok dkms add $name/$ver"
	exit 1
fi
for k in "$@"; do
	log=$build/build-$k.log
	if ! "${dk[@]}" -k "$k" build >"$log" 2>&1; then
		cat "$log"
		find "$build/tree/$name/$ver/build" -name make.log -exec cat {} + 2>/dev/null
		echo "not ok $k: dkms build"
		fail=1
		continue
	fi
	ko=$(find "$build/tree/$name/$ver/$k" -name "$name.ko*" | head -n 1)
	if [ -z "$ko" ]; then
		echo "not ok $k: dkms build left no $name.ko"
		fail=1
		continue
	fi
	case $ko in
	*.xz) xz -dkc "$ko" >"$build/$k.ko" && ko=$build/$k.ko ;;
	*.zst) zstd -qdc "$ko" >"$build/$k.ko" && ko=$build/$k.ko ;;
	*.gz) gzip -dc "$ko" >"$build/$k.ko" && ko=$build/$k.ko ;;
	esac
	got=$(modinfo -F version "$ko")
	vermagic=$(modinfo -F vermagic "$ko")
	if [ "$got" != "$ver" ]; then
		echo "not ok $k: dkms build: module version '$got', dkms.conf says '$ver'"
		fail=1
	elif [ "${vermagic%% *}" != "$k" ]; then
		echo "not ok $k: dkms build: vermagic '$vermagic'"
		fail=1
	else
		echo "ok $k: dkms build (version $got)"
	fi
done
exit $fail
