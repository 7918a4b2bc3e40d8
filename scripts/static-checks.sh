#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host-side checks of make check, which need no VM: checkpatch
# --strict, the documentation (readme-check.sh), make deps' quick path,
# the kernel-log samples, the shell tests' KTAP (ktap-selfcheck.sh), a DKMS
# build and make install/uninstall, and per kernel sparse (C=2) and the
# module's modinfo.
#
#   static-checks.sh [-w WORK] KVER...
#
#   -w WORK  check.sh's work directory: results go to WORK/static/*.out,
#            the time table's lines to WORK/stages, logs to WORK/log; the
#            modinfo check takes each kernel's W=1 module from check.sh's
#            build (WORK/targets/KVER/ko, once WORK/targets/KVER/ready
#            exists).  Without -w: .build/static-checks, the modules are
#            built here, and the results are printed at the end with the
#            line "N passed, N failed".
#
# Each case is an "ok ..."/"not ok ..." line; a check that exits non-zero
# without a "not ok" line of its own gets one.

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
scripts=$here
build=${TSNIC_BUILD:-$tree/.build}

work=
while getopts "w:" opt; do
	case $opt in
	w) work=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kvers=("$@")
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < <("$scripts/kvers.sh" | tr ' ' '\n' | grep .)

standalone=
if [ -z "$work" ]; then
	standalone=1
	work=$build/static-checks
	rm -rf "$work"
fi
mkdir -p "$work/static" "$work/log"

now() { date +%s; }
stage() {	# stage NAME START END: a line of check.sh's time table
	echo "$1|$2|$3|" >>"$work/stages"
}

host_cases() {	# host_cases OUTFILE COMMAND...
	local out=$1 rc
	shift
	"$@" >"$out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok ${1##*/} (exit $rc)" >>"$out"
	fi
}

# deps_quick_check: with everything installed, what make run/check/bench
# call first (deps.sh --quick) answers in under 2 s without apt (issue 15,
# item 1): apt-get and apt-cache are stubs that fail here.
deps_quick_check() {
	local stubs=$work/apt-stubs t0 ms
	mkdir -p "$stubs"
	# shellcheck disable=SC2016 # $0 and $* are the stub's
	printf '#!/bin/sh\necho "apt called: $0 $*" >&2\nexit 1\n' >"$stubs/apt-get"
	cp "$stubs/apt-get" "$stubs/apt-cache"
	chmod +x "$stubs/apt-get" "$stubs/apt-cache"
	t0=$(date +%s%N)
	if ! PATH=$stubs:$PATH "$scripts/deps.sh" --quick; then
		echo "not ok make deps, everything installed: no apt"
		return 1
	fi
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$ms" -lt 2000 ]; then
		echo "ok make deps, everything installed: ${ms} ms, no apt"
	else
		echo "not ok make deps, everything installed: ${ms} ms (2000 at most)"
	fi
}

# module KVER: the path of KVER's W=1 module, from check.sh's build or
# (standalone) built here; empty when the build failed
module() {
	local k=$1 ko
	if [ -z "$standalone" ]; then
		while [ ! -e "$work/targets/$k/ready" ]; do sleep 1; done
		cat "$work/targets/$k/ko" 2>/dev/null
		return
	fi
	if ko=$(TSNIC_SPARSE='' "$scripts/build-module.sh" "$k" 2>"$work/log/build-$k.log"); then
		echo "ok $k: build W=1 warning-free" >"$work/static/build-$k.out"
		echo "$ko"
	else
		{
			cat "$work/log/build-$k.log"
			echo "not ok $k: build, W=1 warning-free"
		} >"$work/static/build-$k.out"
	fi
}

# ---- the checks -------------------------------------------------------------

t0=$(now)
if "$scripts/checkpatch.sh" >"$work/log/checkpatch.log" 2>&1; then
	echo "ok checkpatch --strict" >"$work/static/checkpatch.out"
else
	{ cat "$work/log/checkpatch.log"; echo "not ok checkpatch --strict"; } \
		>"$work/static/checkpatch.out"
fi
host_cases "$work/static/readme.out" "$scripts/readme-check.sh"
host_cases "$work/static/deps.out" deps_quick_check
host_cases "$work/static/klog.out" "$scripts/klog-check.sh"
host_cases "$work/static/ktap.out" "$scripts/ktap-selfcheck.sh"
host_cases "$work/static/regen.out" "$scripts/regen.sh" --check
stage "static: checkpatch, documentation, kernel-log samples, KTAP, generated netlink" "$t0" "$(now)"
t0=$(now)
# the oldest and the newest kernel: the W=1 builds cover every kernel
host_cases "$work/static/dkms.out" "$scripts/dkms-check.sh" "${kvers[0]}" "${kvers[-1]}"
stage "static: dkms build, oldest and newest kernel" "$t0" "$(now)"
t0=$(now)
host_cases "$work/static/install.out" "$scripts/install-check.sh" "${kvers[-1]}"
stage "static: make, make install and uninstall (DESTDIR)" "$t0" "$(now)"
for k in "${kvers[@]}"; do
	t0=$(now)
	# sparse over the W=1 build (check.sh's, or module()'s standalone),
	# then modinfo of that module
	ko=$(module "$k")
	if [ -z "$ko" ]; then
		echo "not ok $k: sparse (C=2): no W=1 build to check" \
			>"$work/static/sparse-$k.out"
	else
		TSNIC_BUILD=${ko%/"$k"/driver/tsnic.ko} \
			"$scripts/build-module.sh" -s "$k" >/dev/null 2>"$work/log/sparse-$k.log"
		case $? in
		0) echo "ok $k: sparse (C=2) clean" ;;
		3) cat "$work/log/sparse-$k.log"; echo "not ok $k: sparse (C=2) clean" ;;
		*) cat "$work/log/sparse-$k.log"; echo "not ok $k: sparse pass" ;;
		esac >"$work/static/sparse-$k.out"
		TSNIC_VERSION=$(git -C "$tree" describe --always --dirty --tags 2>/dev/null) \
			host_cases "$work/static/modinfo-$k.out" \
			"$scripts/readme-check.sh" -m "$ko"
	fi
	stage "static: sparse and modinfo, $k" "$t0" "$(now)"
done

[ -n "$standalone" ] || exit 0
cat "$work"/static/*.out
p=$(cat "$work"/static/*.out | grep -c '^ok ')
f=$(cat "$work"/static/*.out | grep -c '^not ok ')
echo "$p passed, $f failed, 0 skipped"
[ "$f" -eq 0 ]
