#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernels `make check` runs on: the newest installed Debian 6.1,
# 6.12 and 6.12 PREEMPT_RT kernels that have both an image and headers.
#
#   kvers.sh [NAME...]
#
# With NAMEs, print each resolved instead: 6.1, 6.12 and rt (or 6.12-rt)
# name the newest installed kernel of that series, so that commands and
# documentation need not name a release that the archive will retire
# (`make check KVERS=rt`); a full release passes through unchanged.
# releases with an image and headers installed, matching GLOB, oldest first
installed() {
	local d k

	for d in /lib/modules/$1/build; do
		k=${d#/lib/modules/}
		k=${k%/build}
		[ -e "$d" ] && [ -e "/boot/vmlinuz-$k" ] && echo "$k"
	done | sort -V
}
newest() {	# newest SERIES: its generic amd64 kernel
	installed "$1.*-amd64" | grep -vE -- '-(cloud|rt)-amd64$' | tail -n 1
}
newest_rt() {
	installed '6.12.*-rt-amd64' | tail -n 1
}
named=1
if [ $# -eq 0 ]; then
	named=
	set -- 6.1 6.12 rt
fi
for name in "$@"; do
	case $name in
	6.1|6.12)
		k=$(newest "$name") ;;
	rt|6.12-rt)
		k=$(newest_rt) ;;
	*)
		k=$name ;;
	esac
	if [ -z "$k" ]; then
		[ -n "$named" ] && echo "kvers: no installed kernel for $name (make deps)" >&2
		continue
	fi
	echo "$k"
done | tr '\n' ' ' | sed 's/ $//'
echo
