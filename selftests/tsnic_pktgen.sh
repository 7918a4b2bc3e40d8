#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pktgen drives ndo_start_xmit directly at unlimited rate: every frame is
# completed, into the sink (unwired) or into the peer (wired).
. "$(dirname "$0")/lib.sh"
plan 7

modprobe pktgen || { fail "modprobe pktgen"; finish; }
pg=/proc/net/pktgen
pgset() { echo "$2" >"$pg/$1"; }

# pktgen_run DEV COUNT
pktgen_run() {
	pgset kpktgend_0 "rem_device_all"
	pgset kpktgend_0 "add_device $1"
	pgset "$1" "count $2"
	pgset "$1" "pkt_size 60"
	pgset "$1" "delay 0"
	pgset "$1" "dst_mac 02:00:00:00:00:02"
	pgset "$1" "dst 192.168.79.2"
	pgset pgctrl start
	pgset kpktgend_0 "rem_device_all"
}

ip link add pg0 type tsnic
no_ipv6 pg0
ip link set pg0 up
wait_for 5 operstate_is pg0 up
check "pktgen 20000 frames into an unwired device" pktgen_run pg0 20000
# pktgen returns once the last frame is on the ring: completions follow
check_eq_soon "all 20000 completed" 20000 10 counter pg0 tx_queue_0_completions
check_eq "all 20000 queued" 20000 "$(counter pg0 tx_queue_0_frames)"
check_eq "all 20000 went to the sink" 20000 "$(counter pg0 tx_queue_0_sink)"

ip link add pg1 link pg0 type tsnic
no_ipv6 pg1
ip link set pg1 up
wait_for 5 operstate_is pg1 up
s0=$(counter pg0 tx_queue_0_completions)
check "pktgen 20000 frames over the cable" pktgen_run pg0 20000
completed() { echo $(($(counter pg0 tx_queue_0_completions) - s0)); }
check_eq_soon "all completed" 20000 10 completed
# the peer's RX NAPI may still be delivering the last of them
peer_seen_all() {
	[ $(($(cat /sys/class/net/pg1/statistics/rx_packets) +
	     $(cat /sys/class/net/pg1/statistics/rx_dropped))) -ge 20000 ]
}
check "the peer received or counted every frame" wait_for 10 peer_seen_all
finish
