#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernels `make check` runs on: the newest installed Debian 6.1,
# 6.12 and 6.12 PREEMPT_RT kernels that have both an image and headers.
newest() {	# newest SERIES FLAVOUR
	ls -d /lib/modules/"$1".*-"$2"/build 2>/dev/null |
		sed 's|^/lib/modules/||; s|/build$||' |
		while read -r k; do
			[ -e "/boot/vmlinuz-$k" ] && echo "$k"
		done | grep -vE -- '-(cloud|rt)-amd64$' | sort -V | tail -n 1
}
{
	newest 6.1 amd64
	newest 6.12 amd64
	ls -d /lib/modules/6.12.*-rt-amd64/build 2>/dev/null |
		sed 's|^/lib/modules/||; s|/build$||' |
		while read -r k; do
			[ -e "/boot/vmlinuz-$k" ] && echo "$k"
		done | sort -V | tail -n 1
} | tr '\n' ' ' | sed 's/ $//'
echo
