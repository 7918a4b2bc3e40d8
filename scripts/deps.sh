#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, idempotently, everything tsnic's build, tests, benchmarks and VM
# runner need, from Debian's archive.
#
#   deps.sh          resolve and install (make deps)
#   deps.sh --quick  return at once when everything a previous run installed
#                    is still there (make run, check, check-debug, bench call
#                    this: no apt-get update, well under a second); else as
#                    deps.sh
#
# The kernels of the test matrix: Debian's 6.1 (the linux-image-amd64
# metapackage), and the newest 6.12 generic and PREEMPT_RT kernels for
# which the archive has both an image and its headers (they are resolved
# from the package index, never hard-coded: old ones vanish).  What was
# installed is recorded in $TSNIC_DEPS_STAMP for --quick.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
# The VM boots these kernels with its own initramfs: Debian's is not needed
# (its generation costs a minute per kernel).
export INITRD=No
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

stamp=${TSNIC_DEPS_STAMP:-/var/lib/tsnic-deps.list}

base_pkgs="linux-image-amd64 linux-headers-amd64 linux-source-6.12
	qemu-system-x86 busybox-static libnl-genl-3-dev libnl-3-dev linuxptp
	ethtool iproute2 iputils-ping sparse pkg-config cpio xz-utils zstd kmod make gcc
	python3 python3-yaml python3-jsonschema socat iperf3 gnuplot-nox jq chrony
	flex bison bc libelf-dev libssl-dev dwarves dkms util-linux"

# installed PKG...: every PKG is installed (one dpkg-query for all)
installed() {
	local n
	n=$(dpkg-query -W -f='${Status}\n' "$@" 2>/dev/null |
		grep -c '^install ok installed$' || true)
	[ "$n" -eq $# ]
}

if [ "${1:-}" = --quick ] && [ -s "$stamp" ]; then
	# shellcheck disable=SC2046
	installed $(cat "$stamp") && exit 0
fi

updated=0
apt_update() {
	[ $updated = 1 ] && return
	$SUDO apt-get update -qq
	updated=1
}

# newest FLAVOUR: the newest 6.12 version with both linux-image-V and
# linux-headers-V in the index (V ends in +deb12-FLAVOUR)
newest() {
	local re="^linux-(image|headers)-6\\.12\\.[0-9]+\\+deb12-$1\$"
	apt-cache search --names-only "$re" | awk '{ print $1 }' |
		sed -E 's/^linux-(image|headers)-//' | sort -V | uniq -d | tail -n 1
}

# apt-cache needs a package index; refresh it once a day at most.
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
	apt_update
fi

kvers=
for flavour in amd64 rt-amd64; do
	v=$(newest "$flavour")
	if [ -z "$v" ]; then
		apt_update
		v=$(newest "$flavour")
	fi
	if [ -z "$v" ]; then
		echo "deps: no linux-image/headers-6.12.*+deb12-$flavour pair in the package index" >&2
		exit 1
	fi
	kvers="$kvers $v"
done

want=$base_pkgs
for v in $kvers; do
	want="$want linux-image-$v linux-headers-$v"
done
missing=
for p in $want; do
	installed "$p" || missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	apt_update
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# shellcheck disable=SC2086
echo $want | tr ' ' '\n' | $SUDO tee "$stamp.tmp" >/dev/null
$SUDO mv "$stamp.tmp" "$stamp"
echo "deps: ok (6.12 kernels:$kvers)"
