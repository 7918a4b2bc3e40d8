#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the small busybox initramfs that mounts the host's root
# over virtio-9p for kernel KVER, and print its path.  The virtio and 9p
# modules it loads are resolved with modprobe, so built-in drivers (6.12)
# and compressed modules are handled alike.

set -euo pipefail

kver=$1
here=$(cd "$(dirname "$0")" && pwd)
cache=${TSNIC_VM_CACHE:-$here/../../.build/vm}/$kver
img=$cache/initramfs.cpio.gz

fresh() {
	[ -s "$img" ] && [ "$img" -nt "$here/init" ] && [ "$img" -nt "$0" ]
}
if fresh; then
	echo "$img"
	exit 0
fi
# VMs boot side by side (check.sh): one of them builds, the others wait
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if fresh; then
	echo "$img"
	exit 0
fi

busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
	busybox=/bin/busybox
fi
[ -x "$busybox" ] || { echo "mkinitramfs: busybox-static is not installed (make deps)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"

# modprobe lists dependencies first; "builtin" lines need no file.  A kernel
# with no modules under /lib/modules (the debug kernel, TSNIC_VM_KERNEL) has
# them built in and gets an empty list.
: >"$root/lib/modules/order"
for m in virtio_pci 9pnet_virtio 9p; do
	modprobe -S "$kver" --show-depends "$m" || true
done 2>/dev/null |
	awk '$1 == "insmod" { print $2 }' |
	while read -r ko; do
		name=$(basename "$ko")
		grep -qx "${name%%.ko*}.ko" "$root/lib/modules/order" && continue
		case $ko in
		*.xz) xz -dc "$ko" >"$root/lib/modules/${name%.xz}" ;;
		*.zst) zstd -qdc "$ko" >"$root/lib/modules/${name%.zst}" ;;
		*.gz) gzip -dc "$ko" >"$root/lib/modules/${name%.gz}" ;;
		*) cp "$ko" "$root/lib/modules/$name" ;;
		esac
		echo "${name%%.ko*}.ko" >>"$root/lib/modules/order"
	done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$img.tmp.$$"
mv "$img.tmp.$$" "$img"
echo "$img"
