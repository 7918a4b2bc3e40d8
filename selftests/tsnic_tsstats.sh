#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own timestamping statistics (ethtool's tsinfo-get with the
# stats flag, filled by get_ts_stats) agree with tsnic's counters: delivered
# stamps are tx-pkts, timed-out ones tx-lost, skipped and stale ones tx-err.
. "$(dirname "$0")/lib.sh"
plan 12

ynl=$TSNIC_SELFTESTS/../.build/ksrc/tools/net/ynl/cli.py
spec=$TSNIC_SELFTESTS/../.build/ksrc/Documentation/netlink/specs/ethtool.yaml
check "the kernel's ynl CLI and ethtool spec are extracted" test -r "$ynl" -a -r "$spec"

# A slow wire and 4 slots: a burst of 20 requests gets some stamps and
# skips the others.
rmmod tsnic
check "load with a 1 Mbit/s wire and 4 slots" insmod "$TSNIC_MODULE" rate=1000000 ts_slots=4
ip link add tss0 type tsnic
ip addr add 192.168.96.1/24 dev tss0
ip link set tss0 up
ip neigh add 192.168.96.2 lladdr 02:00:00:00:96:02 dev tss0
hwstamp_ctl -i tss0 -t 1 -r 1 >/dev/null
# let BQL pass the whole burst to the ring at once, or the frames wait in
# the qdisc and the slots are never all busy
echo 100000 >/sys/class/net/tss0/queues/tx-0/byte_queue_limits/limit_min
# ts_pending.py sends, then (its stdin already at EOF) waits until every
# frame has left and every stamp has been delivered
check "a burst of 20 timestamped datagrams" sh -c \
	"python3 '$TSNIC_SELFTESTS/ts_pending.py' tss0 192.168.96.2 20 </dev/null | grep -q 'after 0'"

delivered=$(counter tss0 tx_hwtstamp_delivered)
timeouts=$(counter tss0 tx_hwtstamp_timeouts)
skipped=$(counter tss0 tx_hwtstamp_skipped)
stale=$(counter tss0 tx_hwtstamp_stale)
check_ge "some stamps delivered" "$delivered" 1
check_ge "some requests skipped" "$skipped" 1
# tx_hwtstamp_requested counts the requests that took a slot (the queue's
# tx_queue_0_hwtstamp_requested likewise), tx_hwtstamp_skipped the others;
# each slot ends in exactly one of delivered, timed out, stale or flushed
slotted=$(counter tss0 tx_hwtstamp_requested)
check_eq "each of the 20 requests took a slot or was skipped" 20 "$((slotted + skipped))"
check_eq "the queue counted the same requests" "$slotted" "$(counter tss0 tx_queue_0_hwtstamp_requested)"
check_eq "each slot ended once (delivered + timeouts + stale + flushed)" "$slotted" \
	"$((delivered + timeouts + stale + $(counter tss0 tx_hwtstamp_flushed)))"
check_eq "no slot pending" 0 "$(counter tss0 tx_hwtstamp_pending)"
tsinfo=$(python3 "$ynl" --spec "$spec" --no-schema --output-json --do tsinfo-get \
	--json '{"header": {"dev-name": "tss0", "flags": 4}}' 2>&1)
read -r pkts lost err < <(echo "$tsinfo" | python3 -c '
import json, sys
s = json.load(sys.stdin).get("stats")
print(*(s[k] for k in ("tx-pkts", "tx-lost", "tx-err")) if s else "none")' 2>/dev/null)
if [ "${pkts:-none}" = none ]; then
	kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	if [ "$kv" -lt 6010 ]; then
		# get_ts_stats and ETHTOOL_A_TSINFO_STATS arrived in 6.10
		skip_rest "kernel $(uname -r) reports no timestamping statistics"
	fi
	fail "tsinfo-get returned statistics"
	echo "$tsinfo" | sed 's/^/# /'
	skip_rest "no statistics to compare"
fi
check_eq "tx-pkts = tx_hwtstamp_delivered" "$delivered" "$pkts"
check_eq "tx-lost = tx_hwtstamp_timeouts" "$timeouts" "$lost"
check_eq "tx-err = skipped + stale" "$((skipped + stale))" "$err"
finish
