#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The suite on the debug kernel (debug-kernel.sh runs it in the VM through
# check.sh): run_tests.sh, which fails a test on any KASAN, lockdep, UBSAN,
# debug-objects or WARN report in the kernel log, framed by kmemleak.
# Allocations made while booting are marked as seen first; after the last
# test (module unloaded) two explicit scans, a pause apart, must find no
# unreferenced object.  Both count as test cases in the summary.
#
#   debug-suite.sh RUN_TESTS_OPTIONS...   (those of run_tests.sh)

set -u
here=$(cd "$(dirname "$0")" && pwd)
kml=/sys/kernel/debug/kmemleak

summary=
args=("$@")
while [ $# -gt 0 ]; do
	[ "$1" = "-s" ] && summary=$2
	shift
done

. "$here/../klog.sh"

p=0
f=0
echo "# debug kernel $(uname -r): KASAN, kmemleak, lockdep, UBSAN, debug objects"
if klog=$(klog_problems); then
	echo "not ok boot: the kernel log reports a problem before any test"
	printf '%s\n' "$klog"
	f=$((f + 1))
fi
if [ ! -w "$kml" ]; then
	echo "not ok kmemleak: $kml missing (is CONFIG_DEBUG_KMEMLEAK on?)"
	f=$((f + 1))
else
	echo scan >"$kml"
	echo clear >"$kml"
fi

start=$(date +%s)
TSNIC_TEST_TIMEOUT=${TSNIC_TEST_TIMEOUT:-1800} bash "$here/../run_tests.sh" "${args[@]}"
rc=$?
echo "# suite: $(($(date +%s) - start)) s"

if [ -w "$kml" ]; then
	rmmod tsnic 2>/dev/null
	echo scan >"$kml"
	sleep 10
	echo scan >"$kml"
	cat "$kml" >/run/out/kmemleak.txt
	if [ -s /run/out/kmemleak.txt ]; then
		echo "not ok kmemleak: $(grep -c '^unreferenced object' /run/out/kmemleak.txt)" \
			"unreferenced objects after the suite"
		head -n 200 /run/out/kmemleak.txt | sed 's/^/  # /'
		f=$((f + 1))
	else
		echo "ok kmemleak: no unreferenced object after the suite"
		p=$((p + 1))
	fi
fi

if [ -n "$summary" ] && [ -s "$summary" ]; then
	read -r sp sf ss <"$summary"
	echo "$((sp + p)) $((sf + f)) $ss" >"$summary"
elif [ -n "$summary" ]; then
	echo "$p $((f + 1)) 0" >"$summary"
fi
[ $rc -eq 0 ] && [ $f -eq 0 ]
