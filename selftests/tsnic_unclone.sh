#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Issue 15, item 10: a frame the RX path cannot unclone is dropped and
# counted (drops_nomem, rx_dropped, netlink, /proc), not passed up out of
# order around GRO.  The failure is injected with fail_function on
# tsnic_rx_unclone (ALLOW_ERROR_INJECTION), so the test needs a kernel with
# CONFIG_FAIL_FUNCTION: the debug kernel has it, Debian's kernels do not.
. "$(dirname "$0")/lib.sh"

kv=$(uname -r)
P=/proc/net/tsnic
trap _cleanup EXIT

F=/sys/kernel/debug/fail_function
if [ -d $F ] && modprobe pktgen 2>/dev/null; then
	ip link add r10a type tsnic
	ip link add r10b link r10a type tsnic
	no_ipv6 r10a
	no_ipv6 r10b
	ip link set r10a up
	ip link set r10b up
	wait_for 5 operstate_is r10a up
	pg=/proc/net/pktgen
	mac=$(cat /sys/class/net/r10b/address)
	# pktgen's clone_skb shares one skb: the cable clones it, RX unclones
	send10() {
		echo rem_device_all >$pg/kpktgend_0
		echo "add_device r10a" >$pg/kpktgend_0
		for c in "count $1" "clone_skb 1000" "pkt_size 60" "delay 0" \
			"dst_mac $mac" "dst 10.10.0.2"; do
			echo "$c" >$pg/r10a
		done
		echo start >$pg/pgctrl
		echo rem_device_all >$pg/kpktgend_0
	}
	if echo tsnic_rx_unclone >$F/inject 2>/dev/null; then
		ok "fail_function takes tsnic_rx_unclone"
		printf '%#x\n' -12 >$F/tsnic_rx_unclone/retval
		echo 100 >$F/probability
		echo 0 >$F/interval
		echo -1 >$F/times
		echo 0 >$F/space
		echo 0 >$F/verbose
		check "20 shared frames sent while unclone fails" send10 20
		check_eq_soon "all 20 dropped as drops_nomem" 20 10 counter r10b rx_queue_0_drops_nomem
		check_eq "none passed up" 0 "$(cat /sys/class/net/r10b/statistics/rx_packets)"
		check_eq "counted in rx_dropped" 20 "$(cat /sys/class/net/r10b/statistics/rx_dropped)"
		check "netlink shows it" sh -c "tsnic -j stats show r10b | grep -q '\"rx_drops_nomem\":20'"
		check "/proc shows it" grep -qx 'drops_nomem 20' $P/r10b/rx-0/ring
		echo >$F/inject
		check "20 more sent, unclone working" send10 20
		check_eq_soon "those 20 received" 20 10 cat /sys/class/net/r10b/statistics/rx_packets
		check_eq "drops_nomem unchanged" 20 "$(counter r10b rx_queue_0_drops_nomem)"
	else
		fail "fail_function takes tsnic_rx_unclone"
	fi
	ip link del r10a
elif [ -d $F ]; then
	skip "unclone failure: no pktgen"
else
	skip "unclone failure: kernel $kv has no fail_function (CONFIG_FAIL_FUNCTION)"
fi

finish
