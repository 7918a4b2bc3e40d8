#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reconfigure, move and delete devices while traffic runs; unload the module
# with devices and traffic present.  Counters add up on every queue.
. "$(dirname "$0")/lib.sh"
plan 31

netns lca
netns lcb
check "4-queue device" ip link add lc0 netns lca numtxqueues 4 numrxqueues 4 type tsnic
check "more than 16 queues refused" sh -c "! ip link add lcx numtxqueues 17 type tsnic 2>/dev/null"
check "link to a non-tsnic device refused" sh -c "! ip link add lcx link lo type tsnic 2>/dev/null"
check "4-queue peer" ip -n lca link add lc1 numtxqueues 4 numrxqueues 4 link lc0 type tsnic
check "a device already wired cannot take a second cable" \
	sh -c "! ip -n lca link add lcx link lc0 type tsnic 2>/dev/null"
ip -n lca link set lc1 netns lcb
ip -n lca addr add 192.168.80.1/24 dev lc0
ip -n lcb addr add 192.168.80.2/24 dev lc1
ip -n lca link set lc0 up
ip -n lcb link set lc1 up
wait_for 5 operstate_is lc0 up lca
check "ping over 4 queues" ip netns exec lca ping -c 2 -i 0.2 -W 5 192.168.80.2
check "ethtool -l shows 4 TX channels" sh -c "ip netns exec lca ethtool -l lc0 | grep -A4 Current | grep -q 'TX:.*4'"

flood() {
	local ns=$1 dst=$2 secs=$3
	for p in 1 2 3 4; do
		ip netns exec "$ns" python3 "$TSNIC_SELFTESTS/udp_flood.py" "$dst" "$secs" 600 $((7000 + p)) >/dev/null &
	done
}

flood lca 192.168.80.2 12
sleep 1
check "resize rings under traffic" ip netns exec lca ethtool -G lc0 tx 128 rx 128
check "non-power-of-two ring refused" sh -c "! ip netns exec lca ethtool -G lc0 tx 100 2>/dev/null"
check "ring larger than 4096 refused" sh -c "! ip netns exec lca ethtool -G lc0 tx 8192 2>/dev/null"
check "channels 2 under traffic" ip netns exec lca ethtool -L lc0 tx 2 rx 2
check "channels back to 4" ip netns exec lca ethtool -L lc0 tx 4 rx 4
check "channels beyond the maximum refused" sh -c "! ip netns exec lca ethtool -L lc0 tx 5 2>/dev/null"
check "coalescing change under traffic" ip netns exec lca ethtool -C lc0 tx-usecs 50 tx-frames 8
check "tx-usecs out of range refused" sh -c "! ip netns exec lca ethtool -C lc0 tx-usecs 20000 2>/dev/null"
check "down/up under traffic" sh -c "ip -n lca link set lc0 down && ip -n lca link set lc0 up"
check "MTU change under traffic" ip -n lca link set lc0 mtu 4000
wait
check "ping after all that" wait_for 10 ip netns exec lca ping -c 1 -W 2 192.168.80.2

# Counters add up per queue once the traffic has stopped.
for q in 0 1 2 3; do
	check "queue $q: frames = completions + flushed" wait_for 5 queue_balanced lc0 $q lca
done
check_ge "traffic used several queues" "$(counter lc0 tx_queue_1_frames lca)$(counter lc0 tx_queue_2_frames lca)" 1

# Move the peer back and forth, and delete it, with traffic running.
flood lca 192.168.80.2 8
check "move the peer under traffic" ip -n lcb link set lc1 netns lca
check "and back" ip -n lca link set lc1 netns lcb
ip -n lcb addr add 192.168.80.2/24 dev lc1
ip -n lcb link set lc1 up
# the flood still runs: an echo may be dropped, so it is retried
check "the cable survived the moves" wait_for 10 \
	ip netns exec lca ping -c 1 -W 2 192.168.80.2
check "delete the peer under traffic" ip -n lcb link del lc1
wait
check "re-create a peer" ip -n lca link add lc1 link lc0 type tsnic

# Unload with devices present and traffic in flight.
ip -n lca link set lc1 up
ip -n lca addr add 192.168.81.1/24 dev lc1
flood lca 192.168.80.2 3
sleep 1
check "rmmod with devices and traffic present" rmmod tsnic
wait
check "no tsnic device is left" sh -c "! ip -n lca -o link show type tsnic | grep -q ."
check "module is gone" sh -c "! lsmod | grep -q '^tsnic '"
finish
