#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak [MINUTES=N]: selftests/soak.sh for N minutes (default 30) in a
# VM on the debug kernel (KASAN, kmemleak, lockdep, UBSAN; the kernel of
# make check-debug, built once and cached by debug-kernel.sh), booted as
# check.sh boots it.  Not in CI.  The summary (selftests/soak.sh says what
# it counts) is printed at the end and kept, with the kernel logs of each
# round and the kmemleak report, in .build/soak/.
#
#   soak.sh [MINUTES]

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../.." && pwd)
scripts=$tree/scripts
minutes=${1:-30}
kver=${2:+$("$scripts/kvers.sh" "$2")}	# a release, or 6.1, 6.12, rt
case $minutes in
''|*[!0-9]*|0) echo "soak: MINUTES must be a positive number of minutes" >&2; exit 2 ;;
esac

fail() {
	echo "soak: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

make -s -C "$tree" tools selftests >/dev/null || fail "building the tools failed"
"$scripts/ksrc.sh" >/dev/null || fail "scripts/ksrc.sh failed"
vm=()
if [ -n "$kver" ]; then
	dk=$kver
	ko=$(TSNIC_SPARSE='' "$scripts/build-module.sh" "$dk") ||
		fail "building the module against $dk failed"
else
	cache=$("$here/debug-kernel.sh" -b | tail -n 1)
	if [ -z "$cache" ] || [ ! -e "$cache/.done" ]; then
		fail "no debug kernel (selftests/vm/debug-kernel.sh -b)"
	fi
	dk=$(cat "$cache/kernelrelease")
	ko=$(KDIR_OVERRIDE=$cache/linux TSNIC_SPARSE='' "$scripts/build-module.sh" "$dk") ||
		fail "building the module against $dk failed"
	vm=(TSNIC_VM_KERNEL="$cache/bzImage" TSNIC_VM_APPEND=acpi=noirq
	    TSNIC_VM_MODULES="$cache/modroot/lib/modules")
fi

out=${TSNIC_BUILD:-$tree/.build}/soak
rm -rf "$out"
mkdir -p "$out"
echo "soak: $minutes minutes on $dk, output in $out"
# the guest needs the minutes asked, the rounds' counts and settling, the
# reloads and the kmemleak scans: a timeout far beyond them all
env "${vm[@]}" "$here/vm.sh" -k "$dk" -t $((minutes * 120 + 1800)) -o "$out" -- \
	bash selftests/soak.sh -m "/run/tsnic/${ko#"$tree"/}" \
	-b /run/tsnic/.build/user/bin -M "$minutes" -o /run/out
rc=$?

echo
if [ -s "$out/soak-summary.md" ]; then
	cat "$out/soak-summary.md"
else
	echo "soak: no summary (the VM ended with $rc); console log: $out/console.log"
fi
p=$(grep -c '^ok ' "$out/output.log" 2>/dev/null)
f=$(grep -c '^not ok ' "$out/output.log" 2>/dev/null)
[ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
echo "${p:-0} passed, ${f:-0} failed"
[ "$rc" -eq 0 ]
