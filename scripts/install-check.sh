#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make`, `make install` and `make uninstall` as the README shows them, in
# a scratch copy of the tree (only what git tracks, as a fresh clone has
# it), installing into a staging tree (DESTDIR) for kernel KVER: the module
# lands where modprobe finds it, the CLI in sbin, the man page in man8;
# uninstall takes them away again.  Prints "ok"/"not ok" lines.
#
#   install-check.sh KVER
set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
k=${1:?usage: install-check.sh KVER}
work=${TSNIC_BUILD:-$tree/.build}/install-check
rm -rf "$work"
mkdir -p "$work/src" "$work/root"
git -C "$tree" ls-files -z --cached --others --exclude-standard |
	(cd "$tree" && xargs -0 tar -cf - --no-recursion 2>/dev/null) | tar -xf - -C "$work/src"

rc=0
result() {	# result OK? DESCRIPTION
	if [ "$1" = 0 ]; then
		echo "ok install: $2"
	else
		echo "not ok install: $2"
		rc=1
	fi
}

make -s -C "$work/src" KVER="$k" >"$work/make.log" 2>&1
r=$?
[ $r = 0 ] || tail -n 20 "$work/make.log"
result $r "make builds the module and the CLI for $k"

make -s -C "$work/src" KVER="$k" DESTDIR="$work/root" install >"$work/install.log" 2>&1
r=$?
[ $r = 0 ] || tail -n 20 "$work/install.log"
result $r "make install DESTDIR=... for $k"

depmod -b "$work/root" "$k" 2>/dev/null
found=$(modprobe -n -v -d "$work/root" -S "$k" tsnic 2>&1)
case $found in
*"$work/root/lib/modules/$k/"*tsnic.ko*) r=0 ;;
*) r=1; echo "# modprobe -n says: $found" ;;
esac
result $r "modprobe finds the installed module"
test -x "$work/root/usr/local/sbin/tsnic" &&
	"$work/root/usr/local/sbin/tsnic" help >/dev/null 2>&1
result $? "the CLI is installed in /usr/local/sbin and runs"
man -l "$work/root/usr/local/share/man/man8/tsnic.8" >/dev/null 2>&1 ||
	test -s "$work/root/usr/local/share/man/man8/tsnic.8"
result $? "the man page is installed in man8"

make -s -C "$work/src" KVER="$k" DESTDIR="$work/root" uninstall >"$work/uninstall.log" 2>&1
r=$?
left=$(find "$work/root" -name 'tsnic*' -type f)
[ -z "$left" ] || { echo "# left behind: $left"; r=1; }
result $r "make uninstall removes them"
exit $rc
