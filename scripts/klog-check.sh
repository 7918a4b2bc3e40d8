#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel-log check (selftests/klog.sh) against sample logs, on the host:
# every report it must catch is caught, and only the listed benign lines
# are let through.  Prints one "ok"/"not ok" line per case.

set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../selftests/klog.sh"

sample=
# klog_problems reads the log with dmesg: here, the sample.
dmesg() { printf '%s\n' "$sample"; }

fails=0
# expect CASE WANT(problem|clean) LOG
expect() {
	local got=clean word
	sample=$3
	klog_problems >/dev/null && got=problem
	word="let through"
	[ "$2" = problem ] && word="reported"
	if [ "$got" = "$2" ]; then
		echo "ok klog: $1: $word"
	else
		echo "not ok klog: $1: $word"
		fails=$((fails + 1))
	fi
}

pg='[  598.390224] pktgen: WARNING: trying to remove a running interface, stopping it now'
warn='[   12.000001] WARNING: CPU: 1 PID: 77 at driver/tsnic_main.c:100 tsnic_xmit+0x10/0x20 [tsnic]'
ok_line='[    3.100000] tsnic: loaded'

expect "an ordinary log" clean "$ok_line"
expect "a user process's general protection fault" clean "$ok_line
[  235.313932] traps: sh[1163] general protection fault ip:7fc837eb0353 sp:7ffcb9772638 error:0 in libc.so.6[d4353,7fc837e02000+156000]"
expect "a kernel general protection fault" problem "$ok_line
[  235.313932] Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI"
expect "a kernel general protection fault (6.1's words)" problem "[  235.313932] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI"
expect "pktgen stopping a device that goes away" clean "$ok_line
$pg"
expect "a WARN splat" problem "$warn
[   12.000002] Call Trace:"
expect "a WARN splat next to the pktgen line" problem "$pg
$warn"
expect "a lockdep report" problem \
	'[   20.000000] WARNING: possible circular locking dependency detected'
expect "a KASAN report" problem \
	'[   21.000000] BUG: KASAN: slab-use-after-free in tsnic_napi_poll+0x1/0x2 [tsnic]'
expect "a kmemleak report" problem '[   22.000000] unreferenced object 0xffff888100000000 (size 256):'
expect "the pktgen line with more after it" problem "$pg, then a crash"
expect "another pktgen WARNING" problem \
	'[   23.000000] pktgen: WARNING: Requested queue_map_max (3) exceeds valid range'

# run_tests.sh hands over the log it read (dmesg -c)
sample=
if klog_problems "$ok_line" >/dev/null; then
	echo "not ok klog: a clean log given as an argument: let through"
	fails=$((fails + 1))
else
	echo "ok klog: a clean log given as an argument: let through"
fi
if klog_problems "$ok_line
$warn" >/dev/null; then
	echo "ok klog: a WARN in a log given as an argument: reported"
else
	echo "not ok klog: a WARN in a log given as an argument: reported"
	fails=$((fails + 1))
fi

sample="$warn"
out=$(klog_problems)
case $out in
"  # dmesg: $warn"*) echo "ok klog: a problem is printed with the dmesg prefix" ;;
*) echo "not ok klog: a problem is printed with the dmesg prefix"; fails=$((fails + 1)) ;;
esac
[ "$fails" -eq 0 ]
