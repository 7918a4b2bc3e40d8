#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run tsnic's selftests (inside the VM, as root) and print KTAP: each test
# is a subtest (its own KTAP, indented two spaces) followed by its result
# line.  The plan comes first; with -q the number of tests is not known in
# advance and, as KTAP allows then, there is none.
#
#   run_tests.sh -m MODULE.ko -b BINDIR [-t NAMES] [-s SUMMARY] [-q QUEUE]
#
# -q QUEUE: take the tests from a queue that several VMs share (check.sh):
# QUEUE/order lists test names, the longest first; a test is this VM's
# once `mkdir QUEUE/claims/NAME` succeeds (atomic on the host's file
# system).  Without -q, every test (or those of -t) runs here, in order.
# Each test's result is also appended to SUMMARY.times as
# "NAME PASS FAIL SKIP WALL_S CPU_S" (CPU_S: guest CPU time, both vCPUs).
#
# Every test runs against a freshly loaded module; afterwards the module must
# unload, and the kernel log must hold no WARN, BUG, oops, KASAN, UBSAN,
# lockdep or kmemleak report, or the test fails whatever it printed itself
# (klog.sh: the patterns, and the few "WARNING:" lines that are no problem).
# Each test prints its own "# Totals: pass:P fail:F ... skip:S" line (the
# kselftest harness does, and ktap_helpers.sh's ktap_finished, which
# selftests/lib.sh's finish calls, for shell tests); a test that
# prints none counts as one case, passed or failed by its exit status.

set -u

here=$(cd "$(dirname "$0")" && pwd)
module=
bindir=
only=
summary=
queue=
while getopts "m:b:t:s:q:" opt; do
	case $opt in
	m) module=$OPTARG ;;
	b) bindir=$OPTARG ;;
	t) only=$OPTARG ;;
	s) summary=$OPTARG ;;
	q) queue=$OPTARG ;;
	*) exit 2 ;;
	esac
done

export TSNIC_MODULE=$module TSNIC_BIN=$bindir TSNIC_SELFTESTS=$here
export PATH=$bindir:$here/../tools/tsnic:$PATH

. "$here/klog.sh"

tests=()
for t in "$here"/tsnic_*.sh; do
	[ -e "$t" ] && tests+=("$t")
done
for t in "$bindir"/tsnic_*; do
	[ -x "$t" ] && tests+=("$t")
done

# -t NAMES: one test or several, separated by spaces or commas, with or
# without the tsnic_ prefix; each must exist
sel=()
missing=
for o in ${only//,/ }; do
	found=
	for t in "${tests[@]}"; do
		n=$(basename "$t" .sh)
		if [ "$n" = "$o" ] || [ "$n" = "tsnic_$o" ]; then
			sel+=("$t")
			found=1
		fi
	done
	[ -n "$found" ] || missing="$missing $o"
done
[ -z "$only" ] && sel=("${tests[@]}")

# next_test: the next test to run, in $next; false when none is left
qi=0
next_test() {
	local n t
	if [ -z "$queue" ]; then
		[ "$qi" -lt ${#sel[@]} ] || return 1
		next=${sel[qi]}
		qi=$((qi + 1))
		return 0
	fi
	while read -r n; do
		mkdir "$queue/claims/$n" 2>/dev/null || continue
		for t in "${tests[@]}"; do
			[ "$(basename "$t" .sh)" = "$n" ] && { next=$t; return 0; }
		done
		i=$((i + 1))
		echo "not ok $i $n # no such test in this tree"
		fail=$((fail + 1))
	done <"$queue/order"
	return 1
}

# Between two tests this script starts no process it can do without: under
# TCG one costs 0.3 s on a generic kernel and several seconds on the debug
# kernel, where a dozen of them per test came to a third of the suite's time.
# What it needs, it reads with bash's builtins.

# cpu_ticks: busy time of all CPUs so far, in USER_HZ ticks, in $ticks
cpu_ticks() {
	local _cpu user nice sys _idle _iowait irq softirq steal _rest
	read -r _cpu user nice sys _idle _iowait irq softirq steal _rest </proc/stat
	ticks=$((user + nice + sys + irq + softirq + steal))
}
clk_tck=$(getconf CLK_TCK)

# pause SECONDS: sleep without a process: a read from a pipe whose write
# end this shell holds times out
exec {pause_fd}<> <(:)
pause() {
	read -r -t "$1" -u "$pause_fd" _ || true
}

# totals_of LOG: the last "# Totals: pass:P fail:F ... skip:S error:E" line
# of the test's output, as "P F S E" in $totals (empty when there is none)
totals_of() {
	local line kv k v
	local -A n
	totals=
	while IFS= read -r line || [ -n "$line" ]; do
		[[ $line =~ ^#\ Totals:\ pass:[0-9]+\ fail:[0-9]+ ]] || continue
		n=()
		for kv in ${line#\# Totals: }; do
			k=${kv%%:*}
			v=${kv#*:}
			[[ $v =~ ^[0-9]+$ ]] && n[$k]=$v
		done
		totals="${n[pass]:-0} ${n[fail]:-0} ${n[skip]:-0} ${n[error]:-0}"
	done <"$1"
}

# secs_between T0 T1: seconds from one $EPOCHREALTIME to another, to 0.1 s
secs_between() {
	local a=${1/./} b=${2/./}
	local d=$(((10#$b - 10#$a) / 100000))
	echo "$((d / 10)).$((d % 10))"
}

# each test's time limit: selftests/settings (kselftest's timeout=), or
# TSNIC_TEST_TIMEOUT
test_timeout=$(awk -F= '$1 == "timeout" { print $2 }' "$here/settings" 2>/dev/null)
test_timeout=${TSNIC_TEST_TIMEOUT:-${test_timeout:-45}}

pass=0
fail=0
skip=0
times=${summary:+$summary.times}
[ -n "$times" ] && : >"$times"
i=0
echo "KTAP version 1"
if [ -z "$queue" ]; then
	# shellcheck disable=SC2086
	set -- $missing
	echo "1..$((${#sel[@]} + $#))"
	for n in "$@"; do
		i=$((i + 1))
		echo "not ok $i $n # no such test"
		fail=$((fail + 1))
	done
	if [ ${#sel[@]} -eq 0 ] && [ $# -eq 0 ]; then
		echo "# no tests"
		fail=1
	fi
else
	echo "# tests from the queue $queue, shared with other VMs"
fi

# what tsnic.ko needs, as modules on the kernels that have them so (gnss:
# where the kernel has the GNSS subsystem as a module); one modprobe
modprobe -a -q ptp pps_core gnss 2>/dev/null

# Hold the kernel's RX timestamping static key (netstamp_needed_key) on for
# the whole run.  The tests open and close timestamping sockets all the
# time, and every 0 <-> 1 transition live-patches __netif_receive_skb_core;
# under multi-threaded TCG another vCPU has been seen trapping on the
# patch's temporary int3 after the patch completed ("Oops: int3" in
# __netif_receive_skb_core).  Keeping the key on removes those transitions;
# it changes nothing tsnic tests (software RX stamps are then always taken).
"$bindir/stamp_holder" &
netstamp_holder=$!

# Have the kernel's random pool ready before the first test: a guest
# without a hardware RNG reaches "crng init done" only when a reader of
# /dev/urandom waits for it (try_to_generate_entropy()), and the first
# python3 of a test did so in the middle of its test, once trapping on a
# stale int3 of code patched meanwhile (multi-threaded TCG, as above).
# Read here, with bash's read: no process, nothing else running yet.
read -r -N 1 _ </dev/urandom
trap 'kill $netstamp_holder 2>/dev/null; rm -f "$log"' EXIT

# each test's output, until it is printed
log=${TMPDIR:-/tmp}/tsnic-test-$$.out
# the log of booting is not the first test's
dmesg -C
while next_test; do
	t=$next
	i=$((i + 1))
	name=$(basename "$t" .sh)
	tl0=$EPOCHREALTIME
	rmmod tsnic 2>/dev/null
	# ptp4l -S and phc2sys discipline CLOCK_REALTIME and leave the
	# kernel's frequency correction behind when they stop: a later test
	# comparing a PHC with it would see the PHC drift.  Every test starts
	# with none.
	phc_ctl CLOCK_REALTIME freq 0 >/dev/null 2>&1
	if ! insmod "$module"; then
		echo "not ok $i $name # insmod failed"
		fail=$((fail + 1))
		continue
	fi
	tl1=$EPOCHREALTIME
	# the test in progress, for the host if this VM dies in it
	[ -n "$summary" ] && echo "$name" >"$summary.current"
	start=$EPOCHSECONDS
	cpu_ticks
	cpu0=$ticks
	timeout -k 10 "$test_timeout" "$t" >"$log" 2>&1
	rc=$?
	secs=$((EPOCHSECONDS - start))
	cpu_ticks
	cpus=$(((ticks - cpu0) / clk_tck))
	while IFS= read -r line || [ -n "$line" ]; do
		printf '  %s\n' "$line"
	done <"$log"

	totals_of "$log"
	if [ -n "$totals" ]; then
		read -r p f s err <<<"$totals"
		f=$((f + err))
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	else
		p=0; f=0; s=0
		case $rc in
		0) p=1 ;;
		4) s=1 ;;
		*) f=1 ;;
		esac
	fi

	why=
	[ "$rc" -eq 124 ] && why="timeout"
	tu0=$EPOCHREALTIME
	# Give deferred work (RCU callbacks, timers) its chance to misbehave.
	pause 0.2
	if [ -d /sys/module/tsnic ]; then
		if ! rmmod tsnic; then
			why="${why:+$why, }rmmod failed"
		fi
	fi
	tu2=$EPOCHREALTIME
	# read and clear: the next test starts with an empty log
	if klog=$(klog_problems "$(dmesg -c)"); then
		why="${why:+$why, }kernel log reports a problem"
		printf '%s\n' "$klog" | sed 's/^/# /'
	fi
	if [ -n "$why" ]; then
		f=$((f + 1))
	fi
	tu1=$EPOCHREALTIME

	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	[ -n "$times" ] && echo "$name $p $f $s $secs $cpus" >>"$times"
	# emptied, not removed: no process (check.sh reads a non-empty one)
	[ -n "$summary" ] && : >"$summary.current"
	if [ "$f" -gt 0 ]; then
		echo "not ok $i $name # ${why:-failed} (pass:$p fail:$f skip:$s, ${secs}s, cpu ${cpus}s)"
	elif [ "$p" -eq 0 ] && [ "$s" -gt 0 ]; then
		echo "ok $i $name # SKIP (${secs}s, cpu ${cpus}s)"
	else
		echo "ok $i $name # pass:$p skip:$s (${secs}s, cpu ${cpus}s)"
	fi
	# what the suite spends around the test: loading, then unloading and
	# reading the kernel log
	echo "# $name: load $(secs_between "$tl0" "$tl1") s," \
		"unload $(secs_between "$tu0" "$tu2") s," \
		"log check $(secs_between "$tu2" "$tu1") s"
done
[ -n "$queue" ] && echo "# $i tests from the queue run here"

echo "# $(uname -r): $pass passed, $fail failed, $skip skipped"
[ -n "$summary" ] && echo "$pass $fail $skip" >"$summary"
[ "$fail" -eq 0 ]
