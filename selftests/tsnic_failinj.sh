#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The driver's error paths, each made to fail with fail_function on the
# function of tsnic's marked ALLOW_ERROR_INJECTION that allocates or
# registers, and each required to fail cleanly: the operation reports the
# error, the device keeps working (or was never made), the counters say
# what happened, and (the debug suite's scans) kmemleak finds no leak.
#
#   tsnic_phc_init       the PTP clock of a new device: ndo_init fails and
#                        unwinds (ip link add fails, no device is left)
#   tsnic_proc_add       its /proc entries: the NETDEV_REGISTER notifier
#                        fails, the core unregisters it (ndo_uninit and the
#                        destructor run); a rename is rolled back
#   tsnic_proc_net_init  /proc/net/tsnic of a new namespace: the namespace
#                        is not made
#   tsnic_tx_ring_alloc  the TX rings: ethtool -G and -L fail and the old
#                        rings come back (or, when that fails too, the
#                        device waits without carrier for a down/up); an
#                        up fails and the device stays down
#   tsnic_wire_clone     the cable's GFP_ATOMIC clone of a shared frame
#                        (pktgen's): dropped and counted as peer_drops
#
# fail_function needs CONFIG_FAIL_FUNCTION: the debug kernel has it (the
# debug line of ci-plan runs this test), Debian's kernels do not (a skip).
. "$(dirname "$0")/lib.sh"
plan 40

F=/sys/kernel/debug/fail_function
[ -d $F ] || skip_rest "kernel $(uname -r) has no fail_function (CONFIG_FAIL_FUNCTION)"

tmp=$(mktemp -d)
trap 'echo >$F/inject 2>/dev/null; _cleanup; rm -rf "$tmp"' EXIT

# inject FUNC RETVAL [TIMES]: FUNC returns RETVAL without running, on
# every call (or on the next TIMES), until uninject; no stack trace in the
# log for each one (verbose 0)
inject() {
	echo >$F/inject &&
		echo "$1" >$F/inject &&
		printf '%#x\n' "$2" >"$F/$1/retval" &&
		echo 100 >$F/probability &&
		echo 0 >$F/interval &&
		echo "${3:--1}" >$F/times &&
		echo 0 >$F/space &&
		echo 0 >$F/verbose
}
uninject() {
	echo >$F/inject
}
ENOMEM=-12

# ---- ndo_init: the PTP clock cannot be registered ----------------------------
check "fail_function takes tsnic_phc_init" inject tsnic_phc_init $ENOMEM
check "ip link add fails, with the error" sh -c \
	"! ip link add fi0 type tsnic 2>$tmp/err && grep -qi 'cannot allocate memory' $tmp/err"
check "no device is left" sh -c "! ip link show fi0 2>/dev/null"
check "the log says why" sh -c "dmesg | grep -q 'cannot register the PTP clock: -12'"
uninject
check "without the fault the same device is made" ip link add fi0 type tsnic
check "with its clock" sh -c "ethtool -T fi0 | grep -q 'PTP Hardware Clock: [0-9]'"
ip link del fi0

# ---- NETDEV_REGISTER: its /proc entries cannot be made ---------------------
check "fail_function takes tsnic_proc_add" inject tsnic_proc_add $ENOMEM
check "ip link add fails" sh -c "! ip link add fi1 type tsnic 2>/dev/null"
check "no device and no /proc entry are left" sh -c \
	"! ip link show fi1 2>/dev/null && ! test -e /proc/net/tsnic/fi1"
uninject
check "without the fault the same device is made, with its entries" sh -c \
	"ip link add fi1 type tsnic && test -r /proc/net/tsnic/fi1/stats"
# once: the rollback to the old name makes the entries again
inject tsnic_proc_add $ENOMEM 1
check "a rename whose entries cannot be made fails" sh -c \
	"! ip link set fi1 name fi2 2>/dev/null"
check "the device keeps its name and its entries" sh -c \
	"ip link show fi1 >/dev/null && test -r /proc/net/tsnic/fi1/stats && ! test -e /proc/net/tsnic/fi2"
uninject
ip link del fi1

# ---- a namespace's /proc/net/tsnic cannot be made ---------------------------
check "fail_function takes tsnic_proc_net_init" inject tsnic_proc_net_init $ENOMEM
check "ip netns add fails" sh -c "! ip netns add fic 2>/dev/null"
uninject
check "without the fault the namespace is made, with /proc/net/tsnic" sh -c \
	"ip netns add fic && ip netns exec fic test -r /proc/net/tsnic/devices"
ip netns del fic 2>/dev/null

# ---- the TX rings: resize, channels, up ------------------------------------
netns fia
netns fib
check "a wired pair with two queues" wired_pair -6 -n fia a0 fib b0 192.168.96 \
	numtxqueues 2 numrxqueues 2
A=(ip netns exec fia)
pings() {
	"${A[@]}" ping -c 2 -i 0.2 -W 5 192.168.96.2 >/dev/null
}
txring() {
	"${A[@]}" ethtool -g a0 | awk '/^Current/ { c = 1 } c && $1 == "TX:" { print $2; exit }'
}
txchan() {
	"${A[@]}" ethtool -l a0 | awk '/^Current/ { c = 1 } c && $1 == "TX:" { print $2; exit }'
}
check "traffic passes" pings

# once: the new rings fail, the old ones are allocated again
check "fail_function takes tsnic_tx_ring_alloc" inject tsnic_tx_ring_alloc $ENOMEM 1
check "ethtool -G tx 512 fails, out of memory" sh -c \
	"! ${A[*]} ethtool -G a0 tx 512 2>$tmp/err && grep -qi 'memory' $tmp/err"
check_eq "the TX ring keeps its 256 descriptors" 256 "$(txring)"
check "and the device its carrier" wait_for 10 carrier_is a0 1 fia
check "traffic passes after the failed resize" pings

# twice: the new channels fail and so do the old ones
inject tsnic_tx_ring_alloc $ENOMEM 2
check "ethtool -L tx 1 fails, and the restore too" sh -c \
	"! ${A[*]} ethtool -L a0 tx 1 rx 1 2>/dev/null"
check_eq "the two channels are kept" 2 "$(txchan)"
check "the log says the device could not restart" sh -c \
	"dmesg | grep -q 'a0: cannot restart after a failed reconfiguration'"
check "the device waits without carrier" wait_for 10 carrier_is a0 0 fia
uninject
"${A[@]}" ip link set a0 down
check "a down and up restarts it" "${A[@]}" ip link set a0 up
check "carrier comes back" wait_for 10 carrier_is a0 1 fia
check "traffic passes again" wait_for 10 pings

inject tsnic_tx_ring_alloc $ENOMEM
"${A[@]}" ip link set a0 down
check "an up without rings fails" sh -c "! ${A[*]} ip link set a0 up 2>/dev/null"
check "the device stays down" sh -c "! ${A[*]} ip link show a0 | grep -q 'state UP'"
uninject
check "and comes up without the fault" "${A[@]}" ip link set a0 up
check "traffic passes once more" wait_for 10 pings

# ---- the cable cannot clone a shared frame --------------------------------
# pktgen hands the driver a frame it holds a reference to (shared): the
# cable needs its own, a GFP_ATOMIC clone.  pktgen lets go of a frame when
# it builds the next, so those the cable takes later are no longer shared
# (and need no clone); the last one it holds until the driver freed it.
# So: every frame is dropped and counted or received, and at least one
# (the last) is dropped, however slow the guest.
modprobe pktgen
pg=/proc/net/pktgen
mac1=$(ip netns exec fib cat /sys/class/net/b0/address)
pktgen() {	# pktgen COUNT: COUNT frames from a0's queue 0 to b0
	"${A[@]}" timeout 120 sh -c "
		sh $TSNIC_SELFTESTS/pktgen_clear.sh
		echo 'add_device a0' >$pg/kpktgend_0
		for c in 'count $1' 'pkt_size 60' 'delay 0' 'queue_map_min 0' \
			'queue_map_max 0' 'dst_mac $mac1' 'dst 192.168.96.2'; do
			echo \"\$c\" >$pg/a0
		done
		sh $TSNIC_SELFTESTS/pktgen_start.sh; r=\$?
		sh $TSNIC_SELFTESTS/pktgen_clear.sh
		exit \$r"
}
rx_b0() {
	ip netns exec fib cat /sys/class/net/b0/statistics/rx_packets
}
drops0=$(counter a0 tx_queue_0_peer_drops fia)
done0=$(counter a0 tx_queue_0_completions fia)
rx0=$(rx_b0)
check "fail_function takes tsnic_wire_clone" inject tsnic_wire_clone 0
check "pktgen sends 20 frames" pktgen 20
check_eq_soon "all 20 completed" $((done0 + 20)) 30 counter a0 tx_queue_0_completions fia
drops=$(($(counter a0 tx_queue_0_peer_drops fia) - drops0))
check_ge "the shared ones (the last at least) dropped, counted as peer_drops" "$drops" 1
check_eq_soon "the others reached b0: each frame dropped or received" \
	$((rx0 + 20 - drops)) 30 rx_b0
uninject
rx0=$(rx_b0)
check "pktgen sends 20 more, the clone working" pktgen 20
check_eq_soon "those 20 reached b0" $((rx0 + 20)) 30 rx_b0

# Leaks: the debug suite's kmemleak scans frame the run (selftests/vm/
# debug-suite.sh); a scan of its own here costs minutes under TCG.
finish
