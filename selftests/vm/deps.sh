#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, idempotently, everything tsnic's build, tests and VM runner need
# from Debian's archive.  The 6.12 kernel is resolved from the package
# index each time: the newest linux-image-6.12.*+deb12-amd64 available.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

base_pkgs="linux-image-amd64 linux-headers-amd64 linux-source-6.12
	qemu-system-x86 busybox-static libnl-genl-3-dev libnl-3-dev linuxptp
	ethtool iproute2 iputils-ping sparse pkg-config cpio xz-utils zstd kmod make gcc
	python3 python3-yaml python3-jsonschema socat iperf3 gnuplot-nox
	flex bison bc libelf-dev libssl-dev dwarves dkms"

stamp=/var/lib/tsnic-deps.stamp

newest_612() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sed 's/^linux-image-//' | sort -V | tail -n 1
}

updated=0
apt_update() {
	[ $updated = 1 ] && return
	$SUDO apt-get update -qq
	updated=1
}

# apt-cache needs a package index; refresh it once a day at most.
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
	apt_update
fi

kver612=$(newest_612)
if [ -z "$kver612" ]; then
	apt_update
	kver612=$(newest_612)
fi
if [ -z "$kver612" ]; then
	echo "deps: no linux-image-6.12.*+deb12-amd64 in the package index" >&2
	exit 1
fi

want="$base_pkgs linux-image-$kver612 linux-headers-$kver612"
missing=
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	apt_update
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
$SUDO touch "$stamp"
echo "deps: ok (6.12 kernel: $kver612)"
