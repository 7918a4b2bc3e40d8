# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The kernel-log check shared by run_tests.sh and vm/debug-suite.sh.
# Sourced; defines klog_problems.
#
# A problem is a KASAN, UBSAN, kmemleak or lockdep report, a BUG or Oops,
# a WARN splat, or any other line with "WARNING:" in it, except the lines
# listed in klog_benign_re: messages that say "WARNING:" about something a
# test does on purpose and that the kernel handles.  Each entry names who
# prints it and why a test provokes it; keep the list short and exact.

klog_bad_re='WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|kernel BUG|'
klog_bad_re+='possible circular locking|inconsistent lock state|suspicious RCU|'
klog_bad_re+='unreferenced object|sleeping function called|Call Trace'

# pktgen_device_event() stops a pktgen device whose netdev goes away while
# it runs; tsnic_stress unloads the module with pktgen sending.
klog_benign_re='pktgen: WARNING: trying to remove a running interface, stopping it now$'
# A user process killed by a general protection fault: the kernel reports
# the signal it sent ("traps: COMM[PID] ... in LIB"), which is no kernel
# report, and the process's test sees its own failure.  Seen once under
# qemu's multi-threaded TCG: sh trapping on the instruction after its
# clone() syscall returned, in the 6.12 guest.  A kernel GPF ("general
# protection fault, probably for non-canonical address ...") is still one.
klog_benign_re+='|\] traps: [^ ]+\[[0-9]+\] general protection fault ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+ in '

# klog_problems [LOG]: print the kernel log's problem lines with up to 30
# lines of context each (at most 60 lines, each prefixed "  # dmesg: ");
# exit 0 when there was one, 1 when the log is clean.  LOG is the log's
# text (run_tests.sh reads and clears it with one dmesg -c); without it,
# dmesg is read.  A clean log costs no process beyond that dmesg: under
# TCG each one costs a good part of a second, after every test.
klog_problems() {
	local log
	if [ $# -gt 0 ]; then
		log=$1
	else
		log=$(dmesg)
	fi
	[[ $log =~ $klog_bad_re ]] || return 1
	log=$(printf '%s\n' "$log" | grep -E -v -- "$klog_benign_re")
	printf '%s\n' "$log" | grep -E -q -- "$klog_bad_re" || return 1
	printf '%s\n' "$log" | grep -E -A30 -- "$klog_bad_re" | head -n 60 |
		sed 's/^/  # dmesg: /'
	return 0
}
