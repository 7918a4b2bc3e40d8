#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: for each kernel, build the module (W=1 clean) and the user
# programs, boot the kernel in the VM, run the selftests there, and print a
# per-kernel summary and the closing line "N passed, N failed, N skipped".
#
#   check.sh [-t TESTS] KVER...   (TESTS: one name or several, as run_tests.sh -t)

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../.." && pwd)

only=
if [ "${1:-}" = "-t" ]; then
	only=$2
	shift 2
fi
kvers=("$@")
if [ ${#kvers[@]} -eq 0 ]; then
	echo "check: no kernels (install them with 'make deps')" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

tp=0
tf=0
ts=0
summary_lines=()
build=${TSNIC_BUILD:-$tree/.build}
mkdir -p "$build"

# Static checks count as test cases: checkpatch once, W=1 and sparse per kernel.
# TSNIC_NO_STATIC=1 (the debug-kernel run, after `make check`) skips
# checkpatch and sparse; TSNIC_GUEST_RUNNER replaces run_tests.sh in the VM
# (same options).
static=1
[ -n "$only" ] || [ -n "${TSNIC_NO_STATIC:-}" ] && static=

# Host-side check scripts print "ok ..."/"not ok ..." lines: each one counts.
host_cases() {
	local out rc p f
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	p=$(grep -c '^ok ' <<<"$out")
	f=$(grep -c '^not ok ' <<<"$out")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok ${1##*/}"
		f=1
	fi
	tp=$((tp + p))
	tf=$((tf + f))
}
if [ -n "$static" ]; then
	if "$here/checkpatch.sh" >"$build/checkpatch.log" 2>&1; then
		echo "ok checkpatch --strict"
		tp=$((tp + 1))
	else
		cat "$build/checkpatch.log"
		echo "not ok checkpatch --strict"
		tf=$((tf + 1))
	fi
fi

mkdir -p "${TSNIC_BUILD:-$tree/.build}"
if ! make -s -C "$tree" tools selftests >"${TSNIC_BUILD:-$tree/.build}/user-build.log" 2>&1; then
	cat "${TSNIC_BUILD:-$tree/.build}/user-build.log"
	echo "check: building the tools and selftests failed"
	echo "0 passed, 1 failed"
	exit 1
fi

# The documentation against the code, the kernel-log check against sample
# logs, and DKMS builds for every kernel.
if [ -n "$static" ]; then
	host_cases "$here/readme-check.sh"
	host_cases "$here/klog-check.sh"
	host_cases "$here/dkms-check.sh" "${kvers[@]}"
fi

for k in "${kvers[@]}"; do
	echo "=== $k"
	out=$build/out/$k
	rm -rf "$out"
	mkdir -p "$out"
	sparse=$static
	ko=$(TSNIC_SPARSE=$sparse "$here/build.sh" "$k")
	brc=$?
	if [ $brc -eq 3 ]; then
		echo "not ok $k: sparse (C=2) clean"
		tf=$((tf + 1))
		ko=$build/$k/driver/tsnic.ko
	elif [ $brc -ne 0 ]; then
		echo "not ok $k: build, W=1 warning-free"
		tf=$((tf + 1))
		summary_lines+=("$k: build failed")
		continue
	else
		echo "ok $k: build W=1 warning-free$([ -n "$static" ] || echo " (sparse skipped)")"
		tp=$((tp + 1))
		[ -n "$static" ] && { echo "ok $k: sparse (C=2) clean"; tp=$((tp + 1)); }
	fi
	[ -n "$static" ] && TSNIC_VERSION=$(git -C "$tree" describe --always --dirty --tags 2>/dev/null) \
		host_cases "$here/readme-check.sh" -m "$ko"
	rel=${ko#"$tree"/}
	"$here/vm.sh" -k "$k" -t "${TSNIC_CHECK_TIMEOUT:-2400}" -o "$out" -- \
		bash "${TSNIC_GUEST_RUNNER:-selftests/run_tests.sh}" -m "/run/tsnic/$rel" \
		-b /run/tsnic/.build/user/bin -s /run/out/summary ${only:+-t "$only"}
	rc=$?
	if [ -s "$out/summary" ]; then
		read -r p f s <"$out/summary"
	else
		p=0; f=0; s=0
	fi
	# A crash or timeout in the VM is a failure even when no test said so.
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s))
	summary_lines+=("$k: $p passed, $f failed, $s skipped")
done

# The benchmark's scripts: one quick run on the last kernel (no timing
# asserted; the report and its plots must be whole).
if [ -n "$static" ]; then
	echo "=== bench (quick) on ${kvers[-1]}"
	host_cases "$here/bench-check.sh" "${kvers[-1]}"
fi

echo "=== summary"
for l in "${summary_lines[@]}"; do
	echo "$l"
done
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
