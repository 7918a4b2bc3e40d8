#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netdev family's per-queue statistics (qstats-get, via the kernel's own
# ynl CLI) report tsnic's queues, and the sums agree with `ip -s link`.
. "$(dirname "$0")/lib.sh"
plan 9

ynl=$TSNIC_SELFTESTS/../.build/ksrc/tools/net/ynl/cli.py
spec=$TSNIC_SELFTESTS/../.build/ksrc/Documentation/netlink/specs/netdev.yaml
check "the kernel's ynl CLI and netdev spec are extracted" test -r "$ynl" -a -r "$spec"
qstats() {
	python3 "$ynl" --spec "$spec" --no-schema --output-json --dump qstats-get \
		--json "{\"ifindex\": $1, \"scope\": \"queue\"}"
}
if ! grep -q 'qstats-get' "$spec" || ! python3 "$ynl" --spec "$spec" --no-schema \
	--dump qstats-get >/dev/null 2>&1; then
	# 6.1's netdev family has no qstats-get at all: nothing to report into
	skip_rest "kernel $(uname -r) has no qstats-get in its netdev family"
fi

ip link add qs0 numtxqueues 2 numrxqueues 2 type tsnic
ip link add qs1 numtxqueues 2 numrxqueues 2 link qs0 type tsnic
no_ipv6 qs0
no_ipv6 qs1
ip link set qs0 up
ip link set qs1 up
wait_for 5 operstate_is qs0 up
modprobe pktgen
sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
echo "add_device qs0" >/proc/net/pktgen/kpktgend_0
echo "count 3000" >/proc/net/pktgen/qs0
echo "pkt_size 100" >/proc/net/pktgen/qs0
echo "queue_map_min 0" >/proc/net/pktgen/qs0
echo "queue_map_max 1" >/proc/net/pktgen/qs0
echo "dst_mac $(cat /sys/class/net/qs1/address)" >/proc/net/pktgen/qs0
sh "$TSNIC_SELFTESTS/pktgen_start.sh"
sh "$TSNIC_SELFTESTS/pktgen_clear.sh"

# pktgen is done when start returns; the device is once every frame it
# queued completed and every one it sent reached qs1 or its drop counts
settled() {
	local n=/sys/class/net t
	t=$(cat $n/qs0/statistics/tx_packets)
	[ "$t" -ge 3000 ] && queue_balanced qs0 0 && queue_balanced qs0 1 &&
		[ "$t" -eq $(($(cat $n/qs1/statistics/rx_packets) +
			      $(cat $n/qs1/statistics/rx_dropped))) ]
}
check "pktgen's frames all completed and arrived" wait_for 60 settled

sums() {
	qstats "$(cat /sys/class/net/$1/ifindex)" | python3 -c '
import json, sys
qs = json.load(sys.stdin)
tx = sum(q.get("tx-packets", 0) for q in qs if q["queue-type"] == "tx")
rx = sum(q.get("rx-packets", 0) for q in qs if q["queue-type"] == "rx")
ntx = sum(1 for q in qs if q["queue-type"] == "tx")
print(tx, rx, ntx)'
}
read -r tx0 rx0 n0 < <(sums qs0)
read -r tx1 rx1 n1 < <(sums qs1)
check_eq "qstats lists both TX queues of qs0" 2 "$n0"
check_eq "qs0: sum of per-queue tx-packets = ip -s link" "$(cat /sys/class/net/qs0/statistics/tx_packets)" "$tx0"
check_eq "qs1: sum of per-queue rx-packets = ip -s link" "$(cat /sys/class/net/qs1/statistics/rx_packets)" "$rx1"
check_ge "pktgen's 3000 frames are in the per-queue counts" "$tx0" 3000

# With one channel, the other queue's history moves to the base statistics.
check "ethtool -L tx 1" ethtool -L qs0 tx 1 rx 1
read -r tx0b _ n0b < <(sums qs0)
check_eq "one TX queue listed" 1 "$n0b"
dev=$(python3 "$ynl" --spec "$spec" --no-schema --output-json --dump qstats-get \
	--json "{\"ifindex\": $(cat /sys/class/net/qs0/ifindex)}" 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0].get("tx-packets", -1))')
check_eq "device scope (base + queues) = ip -s link" "$(cat /sys/class/net/qs0/statistics/tx_packets)" "$dev"
finish
