#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel in qemu (TCG) with the host's root filesystem mounted
# read-only over virtio-9p, run one command in it as root, and return the
# command's exit status.
#
#   vm.sh -k KVER [-t SECONDS] [-o OUTDIR] [-Q QUEUEDIR] [-m MiB] [-q] -- COMMAND [ARG...]
#
# Inside the guest:
#   /            the host's / (read-only), tmpfs over /tmp /run /var/tmp /var/log
#   /run/tsnic   this source tree (its own 9p share, read-only)
#   /run/out     OUTDIR (writable 9p share): the command's output.log and rc
#   /run/queue   QUEUEDIR (writable 9p share, with -Q): shared by VMs that
#                take their tests from one queue (check.sh)
# COMMAND runs with /run/tsnic as its working directory.
#
# TSNIC_VM_KERNEL=IMAGE boots IMAGE instead of /boot/vmlinuz-KVER (a kernel
# with virtio-pci and 9p built in); TSNIC_VM_MODULES=DIR (a host path holding
# KVER/modules.dep) is bind-mounted over the guest's /lib/modules, so
# modprobe finds that kernel's modules.  TSNIC_VM_CLOCK=tsc boots with the
# TSC as clocksource rather than hpet (make bench's clock comparison).
# TSNIC_VM_APPEND=ARGS adds ARGS to the kernel command line (as -a does).
#
# The guest boots with panic_on_warn=1 oops=panic panic=-1: a WARN, BUG or
# oops reboots it at once, qemu exits (-no-reboot) without an exit status, and
# this script fails and prints the end of the console log.  So does a timeout.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../.." && pwd)

kver=
timeout=600
out=
queue=
mem=2048
quiet=0
extra_append=
while getopts "k:t:o:Q:m:a:q" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	t) timeout=$OPTARG ;;
	o) out=$OPTARG ;;
	Q) queue=$OPTARG ;;
	m) mem=$OPTARG ;;
	a) extra_append=$OPTARG ;;
	q) quiet=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ -z "$kver" ] || [ $# -eq 0 ]; then
	echo "usage: vm.sh -k KVER [-t SECONDS] [-o OUTDIR] [-q] -- COMMAND..." >&2
	exit 2
fi

kernel=${TSNIC_VM_KERNEL:-/boot/vmlinuz-$kver}
[ -r "$kernel" ] || { echo "vm: no kernel image $kernel" >&2; exit 2; }

if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/tsnic-vm.XXXXXX")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/rc" "$out/output.log" "$out/console.log"

initrd=$("$here/mkinitramfs.sh" "$kver")

# The command, written to a file so no quoting survives a kernel cmdline.
{
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	echo 'export HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 TSNIC_IN_VM=1'
	echo "export TSNIC_KVER='$kver'"
	echo 'cd /run/tsnic'
	printf '%q ' "$@"
	echo
} >"$out/cmd.sh"

# The guest's clocksource is hpet (tsc=unstable), whose every read traps
# into the emulated device; TSNIC_VM_CLOCK=tsc trusts the TSC instead
# (tsc=reliable: no watchdog), far cheaper to read under TCG.
clock="tsc=unstable"
[ "${TSNIC_VM_CLOCK:-}" = tsc ] && clock="tsc=reliable clocksource=tsc"
append="console=ttyS0 rdinit=/init panic_on_warn=1 oops=panic panic=-1"
append="$append loglevel=4 mitigations=off nokaslr $clock $extra_append ${TSNIC_VM_APPEND:-}"
[ -n "${TSNIC_VM_9PCACHE:-}" ] && append="$append tsnic_9pcache=$TSNIC_VM_9PCACHE"
if [ -n "${TSNIC_VM_MODULES:-}" ]; then
	[ -r "$TSNIC_VM_MODULES/$kver/modules.dep" ] ||
		{ echo "vm: no $TSNIC_VM_MODULES/$kver/modules.dep" >&2; exit 2; }
	append="$append tsnic_modules=$TSNIC_VM_MODULES"
fi

fsdev_opts="security_model=none,multidevs=remap"
qshare=()
if [ -n "$queue" ]; then
	queue=$(cd "$queue" && pwd)
	qshare=(-fsdev "local,id=queue,path=$queue,$fsdev_opts"
		-device virtio-9p-pci,fsdev=queue,mount_tag=queue)
fi
rc=0
timeout --foreground -k 5 "$timeout" \
	qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -m "$mem" \
	-nographic -no-reboot -nodefaults -serial "file:$out/console.log" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	-fsdev "local,id=hostroot,path=/,readonly=on,$fsdev_opts" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=tree,path=$tree,readonly=on,$fsdev_opts" \
	-device virtio-9p-pci,fsdev=tree,mount_tag=tree \
	-fsdev "local,id=out,path=$out,$fsdev_opts" \
	-device virtio-9p-pci,fsdev=out,mount_tag=out \
	"${qshare[@]}" \
	</dev/null >"$out/qemu.log" 2>&1 &
qpid=$!

if [ $quiet = 0 ]; then
	# Stream the command's output while the guest runs.
	while [ ! -e "$out/output.log" ] && kill -0 $qpid 2>/dev/null; do
		sleep 0.2
	done
	if [ -e "$out/output.log" ]; then
		tail -n +1 -f --pid=$qpid "$out/output.log" &
		tpid=$!
	fi
fi
wait $qpid || rc=$?
[ -n "${tpid:-}" ] && wait "$tpid" 2>/dev/null || true

if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "vm: TIMEOUT after ${timeout}s on $kver; console log follows" >&2
	tail -n 60 "$out/console.log" >&2
	exit 124
fi
if [ ! -s "$out/rc" ]; then
	echo "vm: the guest ($kver) ended without an exit status (oops, WARN," \
		"panic or boot failure); console log follows" >&2
	grep -v '^\s*$' "$out/console.log" | tail -n 80 >&2
	cat "$out/qemu.log" >&2
	exit 125
fi
exit "$(cat "$out/rc")"
