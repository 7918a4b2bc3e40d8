#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BQL is live: at a finite line rate a saturating flow has bytes in flight
# and BQL's limit adapts; when the flow stops, in-flight returns to zero.
# The ring fills, the queue stops and wakes, and traffic always resumes.
. "$(dirname "$0")/lib.sh"
plan 16

rmmod tsnic
check "load with a 20 Mbit/s line rate and 64-entry rings" \
	insmod "$TSNIC_MODULE" rate=20000000 tx_ring=64
netns bqa
netns bqb
check "wired pair across namespaces" wired_pair bqa bqla bqb bqlb 192.168.78
check "ethtool reports speed 20Mb/s" sh -c "ip netns exec bqa ethtool bqla | grep -q 'Speed: 20Mb/s'"
check "ethtool -g reports the 64-entry ring" sh -c "ip netns exec bqa ethtool -g bqla | grep -A4 Current | grep -q 'TX:.*64'"
check "ping" ip netns exec bqa ping -c 2 -i 0.2 -W 5 192.168.78.2

bql=/sys/class/net/bqla/queues/tx-0/byte_queue_limits
rd() { ip netns exec bqa cat "$bql/$1"; }

# A saturating TCP flow for a few seconds, in-flight sampled meanwhile.
ip netns exec bqb timeout 60 socat -u TCP-LISTEN:5003,reuseaddr /dev/null &
# a loaded emulator can take seconds to start socat: connect once it listens
wait_for 30 sh -c "ip netns exec bqb ss -Hltn 'sport = :5003' | grep -q ."
ip netns exec bqa timeout 60 socat -u /dev/zero TCP:192.168.78.2:5003 &
flow=$!
# BQL's limit starts at limit_min (0) and must move once completions come.
# Sample for at least 5 s of flow, until both were seen or after 40 s at
# most: a slow (debug, emulated) kernel may take seconds to get going.
distinct() { echo "$limits" | tr ' ' '\n' | grep . | sort -u | wc -l; }
maxin=0
limits="$(rd limit)"
start=$SECONDS
while kill -0 $flow 2>/dev/null && [ $((SECONDS - start)) -lt 40 ]; do
	sleep 0.2
	i=$(rd inflight)
	[ "$i" -gt "$maxin" ] && maxin=$i
	limits="$limits $(rd limit)"
	[ $((SECONDS - start)) -ge 5 ] && [ "$maxin" -gt 0 ] && [ "$(distinct)" -ge 2 ] && break
done
check_ge "in-flight bytes under load" "$maxin" 1
check_ge "BQL limit adapted (distinct values seen)" "$(distinct)" 2
kill $flow 2>/dev/null
wait $flow
check "in-flight returns to 0 after the flow" wait_for 10 sh -c "[ \$(ip netns exec bqa cat $bql/inflight) -eq 0 ]"

# Defeat BQL so the ring itself fills: the queue must stop and wake.
ip netns exec bqa sh -c "echo 10000000 > $bql/limit_min"
for round in 1 2 3; do
	ip netns exec bqa python3 "$TSNIC_SELFTESTS/udp_flood.py" 192.168.78.2 2 1400 >/dev/null
	check "round $round: ping gets through after the ring was full" \
		ip netns exec bqa ping -c 1 -W 10 192.168.78.2
done
check_ge "queue stopped on a full ring" "$(counter bqla tx_queue_0_stops bqa)" 1
check_ge "queue woken by completions" "$(counter bqla tx_queue_0_wakes bqa)" 1
wait_for 10 sh -c "[ \$(ip netns exec bqa cat $bql/inflight) -eq 0 ]"
# frames and completions from one snapshot: a frame the stack sends
# between two reads (ARP) would otherwise count on one side only
check "every frame queued was completed" wait_for 10 queue_balanced bqla 0 bqa
check_eq "none flushed" 0 "$(counter bqla tx_queue_0_flushed bqa)"
check_eq "nothing refused with NETDEV_TX_BUSY" 0 "$(counter bqla tx_queue_0_busy bqa)"
finish
