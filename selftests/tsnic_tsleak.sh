#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Deleting a device, or unloading the module, while frames sit on the ring
# and hardware TX timestamps are pending frees every skb: the sending
# socket's write-memory charge returns to zero.
. "$(dirname "$0")/lib.sh"
plan 10

# A slow wire (25 kbit/s: 328 ms per 1000-byte frame) keeps frames on the
# ring and 64 timestamp slots busy: half of them are still pending 10 s
# after the first send, however slowly the guest gets to look, and none
# times out by itself within the test (21 s for all 64, against 60 s).
rmmod tsnic
check "load with a 25 kbit/s wire and 64 slots" \
	insmod "$TSNIC_MODULE" rate=25000 ts_slots=64 ts_timeout_ms=60000

# setup DEV: an unwired device (its frames leave into the sink) with
# hardware timestamping on and a neighbour to send to
setup() {
	ip link add "$1" type tsnic
	ip addr add 192.168.95.1/24 dev "$1"
	ip link set "$1" up
	ip neigh add 192.168.95.2 lladdr 02:00:00:00:95:02 dev "$1"
	hwstamp_ctl -i "$1" -t 1 -r 1 >/dev/null
	# BQL would keep all but a few frames in the qdisc: let them onto the ring
	echo 1000000 >"/sys/class/net/$1/queues/tx-0/byte_queue_limits/limit_min"
}

# run_case DEV HOW DESC: fill DEV's ring and slots, then run HOW (a command
# that removes the device) and require the sender's charge to fall to zero
run_case() {
	local dev=$1 how=$2 desc=$3 pend after
	coproc PEND { python3 "$TSNIC_SELFTESTS/ts_pending.py" "$dev" 192.168.95.2 200 2>&1; }
	read -r -t 60 _ pend <&"${PEND[0]}"
	check_ge "$desc: skbs held by the driver before (wmem charge)" "${pend:-0}" 1
	check_ge "$desc: timestamps pending in most slots" \
		"$(counter "$dev" tx_hwtstamp_pending)" 32
	check "$desc: $how" $how
	echo >&"${PEND[1]}"
	read -r -t 60 _ after <&"${PEND[0]}"
	wait "$PEND_PID" 2>/dev/null
	check_eq "$desc: every skb freed (sender's wmem charge)" 0 "${after:-unknown}"
}

setup tl0
run_case tl0 "ip link del tl0" "device deleted"

setup tl1
run_case tl1 "rmmod tsnic" "module unloaded"
check "module is gone" sh -c "! lsmod | grep -q '^tsnic '"
finish
