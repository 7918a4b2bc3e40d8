#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernels `make check` runs on: the newest installed Debian 6.1
# and 6.12 kernels that have both an image and headers.
for series in 6.1 6.12; do
	ls -d /lib/modules/"$series".*/build 2>/dev/null |
		sed 's|^/lib/modules/||; s|/build$||' |
		while read -r k; do
			[ -e "/boot/vmlinuz-$k" ] && echo "$k"
		done | grep -E -- '-amd64$' | grep -v -- '-rt-\|-cloud-' | sort -V | tail -n 1
done | tr '\n' ' ' | sed 's/ $//'
echo
